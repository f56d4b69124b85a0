# syntax=docker/dockerfile:1
# The weaver's image: the production fat jar (weaver-launcher/target/weaver-all.jar, no emulators)
# on a Java 17 runtime, run as a non-root user.
#
#   docker build -t pintxo/data-weaver:dev .
#   docker run --rm -p 8090:8090 -e WEAVER_ADMIN__TOKEN=… pintxo/data-weaver:dev run conf/compose.json
#
# Memory: the JVM takes 75 % of the container's limit as heap (MaxRAMPercentage); 1 GiB is enough
# for the default deployment (one poller, Pyth, one connector), 2 GiB for large endpoint payloads.

# --- build: the same command as bin/weaver's first run, without the tests (CI runs those) ---
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven repository is a BuildKit cache: a rebuild after a code change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# --- runtime ---
FROM eclipse-temurin:17.0.15_6-jre-noble
# A fixed numeric uid/gid: Kubernetes' runAsNonRoot can only verify a numeric USER.
RUN groupadd --system --gid 10001 weaver \
 && useradd --system --uid 10001 --gid weaver --home-dir /weaver --shell /usr/sbin/nologin weaver \
 && mkdir -p /weaver/conf /weaver/data \
 && chown -R 10001:10001 /weaver/data
WORKDIR /weaver
COPY --from=build /src/weaver-launcher/target/weaver-all.jar /weaver/weaver-all.jar
# The default deployment files; compose and Kubernetes mount their own beside them.
COPY conf/ /weaver/conf/
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8090
# /ready answers 200 once every pipeline is deployed and nothing keeps a unit from delivering (503
# otherwise). Bash's /dev/tcp instead of curl: the JRE image carries no HTTP client, and a JVM per
# probe would cost more than the probe checks. The admin endpoint must listen on 8090 (admin.port).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8090 && printf 'GET /ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# Exec form: the JVM is PID 1 and gets SIGTERM, so the shutdown hook drains the connector and
# hands units over before the process ends (give it the grace period: compose stop_grace_period).
ENTRYPOINT ["java", "-jar", "/weaver/weaver-all.jar"]
CMD ["run", "conf/deployment.json"]
