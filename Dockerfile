# One image for the UI and the scheduler; docker-compose.yml chooses the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WORKBENCH_HOME=/data \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
RUN useradd --create-home --uid 10001 workbench
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_schema graph_schema
COPY loaders loaders
COPY workbench workbench
RUN pip install --no-cache-dir . && mkdir -p /data && chown workbench /data
USER workbench
EXPOSE 8501
CMD ["workbench", "status"]
