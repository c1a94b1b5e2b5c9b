# One image for every part of the assistant: the Rasa server, the action server, the web app, the
# notifier and the migration job run it with different commands (deploy/docker-compose.yml,
# deploy/k8s/, docs/operations.md). The model is trained while the image is built, so a container
# starts in seconds instead of a minute.
#
#   docker build -t clair-assistant:1.0.0 .

# The chat page's one browser dependency (socket.io-client), at the version and integrity pinned in
# package-lock.json; only its node_modules/ goes into the image.
FROM node:20-bookworm-slim AS web-assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

FROM python:3.10-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    RASA_TELEMETRY_ENABLED=false \
    MODELS_DIR=/app/models

RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin clair

# Dependencies first: this layer is rebuilt only when requirements.lock changes. Every package in
# the lock has a wheel for this platform, so no compiler is installed.
COPY requirements.lock /opt/requirements.lock
RUN python -m venv /opt/venv \
 && pip install --quiet "pip<25" \
 && pip install --quiet -r /opt/requirements.lock

WORKDIR /app
COPY --from=web-assets /build/node_modules ./node_modules
COPY . .

# Build the spaCy pipeline (var/spacy/en_clair, which config.yml names relative to /app) and train
# the model into /app/models, from a knowledge base loaded into a throw-away SQLite file: the same
# files the cluster's database is loaded from, so the names match. Then drop the build's state.
RUN CLAIR_VAR_DIR=/app/build-state python -m bot train \
 && rm -rf /app/build-state /app/.rasa \
 && ls /app/models/clair-*.tar.gz \
 && chown clair:clair /app/var

# The code and the model stay root-owned and read-only to the service user; /app/var (CLAIR_VAR_DIR)
# is the one place it may write.
USER clair
EXPOSE 5005 5055 8000
# No default service: each deployment names its command (see deploy/).
CMD ["python", "-m", "bot", "--help"]
