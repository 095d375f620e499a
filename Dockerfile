# syntax=docker/dockerfile:1
# Build: go-sqlite3 is cgo, so the build stage has gcc and the binary links
# against glibc; the runtime image is distroless/base, which carries glibc
# and nothing else (no shell, no package manager).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/mend . \
    && mkdir -p /out/data

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/mend /usr/local/bin/mend
# The database lives on a volume owned by the non-root user (uid 65532), so
# what the partners wrote outlives the container.
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME /data
WORKDIR /data
USER 65532:65532
# Time zone data is compiled into the binary (time/tzdata), so none is needed here.
# /healthz and /metrics, when metrics.listen in the config is "0.0.0.0:9464".
EXPOSE 9464
# The image has no shell and no curl: Mend asks its own /healthz, at the
# address metrics.listen names in the config that MEND_CONFIG points to.
# Without metrics.listen set the check fails, and says so in docker inspect.
HEALTHCHECK --interval=30s --timeout=15s --start-period=1m --retries=3 \
    CMD ["/usr/local/bin/mend", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/mend"]
CMD ["run"]
