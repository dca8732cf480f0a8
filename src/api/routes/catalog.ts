import { Router } from 'express';
import { z } from 'zod';
import { ADDON_CODES } from '../../domain/addons';
import type { CatalogService } from '../../venues/catalog-service';
import { problems } from '../problem';
import { calendarDate, parseRequest, queryInt, text } from '../validate';

const idParams = z.strictObject({ id: queryInt(1, 2_147_483_647) });

const venueSearchQuery = z.strictObject({
  district: queryInt(1, 2_147_483_647).optional(),
  q: text().max(100).optional(),
  minCapacity: queryInt(1, 100_000).optional(),
  addOn: z.enum(ADDON_CODES).optional(),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(20),
});

const availabilityQuery = z.strictObject({
  date: calendarDate(),
});

export function catalogRouter(catalog: CatalogService): Router {
  const router = Router();

  router.get('/districts', async (_req, res) => {
    res.json(await catalog.listDistricts());
  });

  router.get('/venues', async (req, res) => {
    const query = parseRequest(venueSearchQuery, req.query, 'query');
    res.json(
      await catalog.searchVenues({
        districtId: query.district,
        text: query.q,
        minCapacity: query.minCapacity,
        addOn: query.addOn,
        page: query.page,
        pageSize: query.pageSize,
      }),
    );
  });

  router.get('/venues/:id', async (req, res) => {
    const { id } = parseRequest(idParams, req.params, 'params');
    const venue = await catalog.getVenue(id);
    if (!venue) throw problems.notFound();
    res.json(venue);
  });

  router.get('/rooms/:id/availability', async (req, res) => {
    const { id } = parseRequest(idParams, req.params, 'params');
    const { date } = parseRequest(availabilityQuery, req.query, 'query');
    const availability = await catalog.roomAvailability(id, date);
    if (!availability) throw problems.notFound();
    res.json(availability);
  });

  return router;
}
