# Test stand-in for victoriametrics/victoria-metrics, built FROM scratch because no image can be
# pulled in CI. Mirrors the official image: the binary at /victoria-metrics-prod, run as root from
# /, so its default -storageDataPath (victoria-metrics-data) is /victoria-metrics-data; port 8428;
# the binary as the entrypoint with no default flags; busybox as its Alpine base has.
FROM scratch
COPY rootfs/ /
COPY victoria-metrics-prod /victoria-metrics-prod
WORKDIR /
EXPOSE 8428
ENTRYPOINT ["/victoria-metrics-prod"]
