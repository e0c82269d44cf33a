# pitchgate: slim, non-root, with a health check on /healthz.
# Build: docker build -t pitchgate .
# Run:   docker run --init -e PITCHGATE_SERVER__LOCAL_DOMAINS='["example.com"]' \
#          -e PITCHGATE_SERVER__UPSTREAM=mail.example.com:25 -p 25:10025 -v pitchgate:/var/lib/pitchgate pitchgate
# (--init, or `init: true` in compose: an init process as PID 1 forwards SIGTERM and reaps the digest's and
# workers' children.) The base image is pinned to a patch release so that a rebuild is the same image.
FROM python:3.11.13-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY models ./models
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11.13-slim-bookworm
LABEL org.opencontainers.image.title="pitchgate" \
      org.opencontainers.image.description="SMTP gateway that tags or quarantines cold sales pitches" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11.13-slim-bookworm"
RUN useradd --system --uid 10025 --home-dir /var/lib/pitchgate --shell /usr/sbin/nologin pitchgate \
    && mkdir -p /var/lib/pitchgate /etc/pitchgate \
    && chown pitchgate:pitchgate /var/lib/pitchgate
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY config/pitchgate.toml /etc/pitchgate/pitchgate.toml
# Inside a container the gateway must listen on all interfaces; publish only what you mean to expose.
ENV PITCHGATE_SERVER__LISTEN=0.0.0.0:10025 \
    PITCHGATE_METRICS__LISTEN=0.0.0.0:9425 \
    PITCHGATE_STORE__STATE_DIR=/var/lib/pitchgate \
    PYTHONUNBUFFERED=1
USER pitchgate
VOLUME ["/var/lib/pitchgate"]
EXPOSE 10025 9425 8025
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9425/healthz', timeout=4)"]
ENTRYPOINT ["pitchgate"]
CMD ["serve", "--config", "/etc/pitchgate/pitchgate.toml"]
