# The Solidarity Graph API. Configure it with SOLGRAPH_* variables (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph_schema ./graph_schema
COPY seed_data ./seed_data
RUN pip install '.[neo4j]' && useradd --create-home solgraph
USER solgraph
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz')"
CMD ["solgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
