import { Router } from 'express';
import type { HealthProbe } from '../health';

export function healthRouter(health: HealthProbe): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const report = await health.check();
    const healthy = report.database === 'up' && report.temporal === 'up';
    if (!healthy) res.set('Retry-After', '5');
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', ...report });
  });
  return router;
}
