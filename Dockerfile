FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY core ./core
COPY storage ./storage
COPY bot ./bot
RUN pip install --no-cache-dir . && useradd --create-home umkm && mkdir -p /app/var && chown umkm /app/var

USER umkm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "umkm migrate && umkm serve --host 0.0.0.0 --port 8000"]
