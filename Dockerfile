# Build: the release binary with everything it needs compiled in (registry, index config, demo).
FROM rust:1.88-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin namndsok

# Run: a small Debian with only the binary.
FROM debian:bookworm-slim
RUN useradd --system --home /data namndsok && mkdir -p /data && chown namndsok /data
COPY --from=build /src/target/release/namndsok /usr/local/bin/namndsok
USER namndsok
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["namndsok"]
CMD ["serve", "--index", "/data/index", "--addr", "0.0.0.0:8080"]
