/**
 * node_exporter's series the System Resources dashboard reads (its drm, hwmon, cpu, meminfo,
 * filesystem, diskstats and netdev collectors), named once.
 */
export const NODE_METRICS = {
  drmVramUsed: 'node_drm_memory_vram_used_bytes',
  drmVramSize: 'node_drm_memory_vram_size_bytes',
  drmBusy: 'node_drm_gpu_busy_percent',
  hwmonTemp: 'node_hwmon_temp_celsius',
  hwmonPower: 'node_hwmon_power_average_watt',
  hwmonFan: 'node_hwmon_fan_rpm',
  hwmonFreq: 'node_hwmon_freq_freq_mhz',
  cpuSeconds: 'node_cpu_seconds_total',
  memTotal: 'node_memory_MemTotal_bytes',
  memAvailable: 'node_memory_MemAvailable_bytes',
  fsSize: 'node_filesystem_size_bytes',
  fsAvail: 'node_filesystem_avail_bytes',
  diskRead: 'node_disk_read_bytes_total',
  diskWritten: 'node_disk_written_bytes_total',
  netReceive: 'node_network_receive_bytes_total',
  netTransmit: 'node_network_transmit_bytes_total',
} as const;
