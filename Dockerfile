# One image for every FARO component, each run as its own deployment:
#   docker run IMAGE run ingest | run sink-pgvector | run sink-qdrant | run gateway
# configured by FARO_* environment variables and mounted files. faro up (the embedded broker and the
# private PostgreSQL of a developer's machine) is not in the image.
#
# Build and push:  docker build -t REGISTRY/faro:0.1.0 . && docker push REGISTRY/faro:0.1.0
#
# It runs with a read-only root file system. Only two paths are written, both declared as volumes
# (emptyDir volumes in Kubernetes):
#   /var/lib/faro  FARO_HOME: Kafka Streams state (RocksDB), rebuilt from changelogs when lost
#   /tmp           java.io.tmpdir: the native libraries the ONNX runtime, RocksDB and the tokenizer
#                  (DJL_CACHE_DIR) unpack at start-up

# ---- build: the distribution cli/target/faro/lib (the faro command and its runtime dependencies) ----
FROM eclipse-temurin:21.0.9_10-jdk-noble AS build
WORKDIR /src
COPY . .
# The cache keeps downloaded dependencies (the model artifacts are large) between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package -pl cli -am

# ---- run: a JRE, the distribution, a user without privileges ----
FROM eclipse-temurin:21.0.9_10-jre-noble
ARG FARO_VERSION=0.1.0
LABEL org.opencontainers.image.title="FARO" \
      org.opencontainers.image.description="Streaming ingestion for retrieval-augmented generation on Apache Kafka: one image for the ingest, sink and gateway components (faro run COMPONENT)" \
      org.opencontainers.image.version="${FARO_VERSION}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:21.0.9_10-jre-noble"

RUN groupadd --system --gid 10001 faro \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/faro --no-create-home \
        --shell /usr/sbin/nologin faro \
    && mkdir -p /var/lib/faro \
    && chown 10001:10001 /var/lib/faro

COPY --from=build /src/cli/target/faro/lib/ /opt/faro/lib/

ENV FARO_HOME=/var/lib/faro \
    FARO_HTTP_HOST=0.0.0.0 \
    DJL_CACHE_DIR=/tmp/djl

VOLUME ["/var/lib/faro", "/tmp"]
WORKDIR /var/lib/faro
USER 10001:10001

# the gateway (FARO_HTTP_PORT), and health and metrics of a process without one (FARO_METRICS_PORT)
EXPOSE 8080 9464

# More JVM options (such as -Xmx) through JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-cp", "/opt/faro/lib/*", "io.faro.cli.FaroCommand"]
CMD ["--help"]
