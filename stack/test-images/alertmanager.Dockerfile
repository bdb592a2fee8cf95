# Test stand-in for prom/alertmanager, built FROM scratch because no image can be pulled in CI.
# Mirrors the official image: busybox userland, binaries in /bin, the same config and data
# paths, user nobody (65534), the same entrypoint and default flags.
FROM scratch
COPY rootfs/ /
COPY --chown=65534:65534 owned/etc/alertmanager/ /etc/alertmanager/
COPY --chown=65534:65534 owned/alertmanager/ /alertmanager/
COPY alertmanager amtool /bin/
WORKDIR /alertmanager
USER nobody
EXPOSE 9093
VOLUME ["/alertmanager"]
ENTRYPOINT ["/bin/alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
