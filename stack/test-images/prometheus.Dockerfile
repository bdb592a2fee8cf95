# Test stand-in for prom/prometheus, built FROM scratch because no image can be pulled in CI.
# Mirrors the official image: busybox userland, binaries in /bin, the same config and data
# paths, user nobody (65534), the same entrypoint and default flags.
FROM scratch
COPY rootfs/ /
COPY --chown=65534:65534 owned/etc/prometheus/ /etc/prometheus/
COPY --chown=65534:65534 owned/prometheus/ /prometheus/
COPY prometheus promtool /bin/
WORKDIR /prometheus
USER nobody
EXPOSE 9090
VOLUME ["/prometheus"]
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
