# syntax=docker/dockerfile:1.7
# Haven API image: built in a full Rust image, run in a slim Debian image as an unprivileged user.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p haven-api \
 && cp target/release/haven /usr/local/bin/haven

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/haven --create-home haven \
 && chmod 0700 /var/lib/haven
COPY --from=build /usr/local/bin/haven /usr/local/bin/haven
USER haven
WORKDIR /var/lib/haven
ENV HAVEN_LISTEN=0.0.0.0:8080 \
    HAVEN_DATA_DIR=/var/lib/haven \
    HAVEN_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/haven"]
# tini forwards SIGTERM so in-flight requests finish before the server stops.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/haven"]
CMD ["serve"]
