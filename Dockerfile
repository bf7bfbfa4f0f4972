# The Solidarity Graph API. Configure it with SOLGRAPH_* variables (see README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
COPY graph_schema ./graph_schema
COPY seed_data ./seed_data
# The versions the tests ran with (constraints.txt, see `make constraints`).
RUN pip install -c constraints.txt '.[neo4j]' && useradd --create-home solgraph
USER solgraph
# Slow clients are cut off and connections capped per server process (see README).
ENV SOLGRAPH_HEADER_TIMEOUT=10 SOLGRAPH_BODY_TIMEOUT=60 SOLGRAPH_MAX_CONNECTIONS=200
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz')"
CMD ["solgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
