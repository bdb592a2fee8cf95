# Test stand-in for prom/node-exporter, built FROM scratch because no image can be pulled in CI.
# Mirrors the official image: busybox userland, the binary at /bin/node_exporter, user nobody
# (65534), port 9100, the same entrypoint and no default flags (the official image has no CMD).
FROM scratch
COPY rootfs/ /
COPY node_exporter /bin/
EXPOSE 9100
USER nobody
ENTRYPOINT ["/bin/node_exporter"]
