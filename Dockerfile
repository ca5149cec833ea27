# Build: the release binary with everything it needs compiled in (registry, index config, demo).
FROM rust:1.90-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin namndsok

# Run: a small Debian with the binary, CA certificates (HTTPS harvesting, webhooks, SMTP over
# TLS), poppler and Swedish tesseract and unzip (harvested files' text).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates poppler-utils tesseract-ocr tesseract-ocr-swe unzip \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /data namndsok && mkdir -p /data && chown namndsok /data
COPY --from=build /src/target/release/namndsok /usr/local/bin/namndsok
USER namndsok
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["namndsok", "healthcheck", "--addr", "127.0.0.1:8080"]
ENTRYPOINT ["namndsok"]
CMD ["serve", "--index", "/data/index", "--addr", "0.0.0.0:8080"]
