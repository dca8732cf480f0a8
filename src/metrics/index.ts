export { createMetricsRegistry, type Registry } from './registry';
export { httpMetrics } from './http-metrics';
export { createEmailMetrics, type EmailMetrics } from './email-metrics';
export { registerBookingStatusGauge } from './booking-metrics';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server';
export { readSdkMetrics, sdkTelemetryOptions } from './temporal-sdk';
