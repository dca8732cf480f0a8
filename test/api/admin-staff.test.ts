import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { bookingExtensions } from '../../src/api/compose';
import type { HealthProbe } from '../../src/api/health';
import { createAuthService, type AuthService } from '../../src/auth/auth-service';
import { createLogger } from '../../src/logger';
import { createCatalogService } from '../../src/venues/catalog-service';
import { startBookingHarness, type BookingHarness } from '../bookings/harness';
import { recordCallback } from '../../src/bookings';
import { bookingBody } from '../bookings/requests';
import { signIn, uniqueEmail } from '../support/app';
import { waitFor } from '../support/wait';

/**
 * Administrators appoint operators to districts and dismiss them over the API: the change holds
 * for the person's open session at once, and a refused change writes nothing.
 */
let harness: BookingHarness;
let auth: AuthService;
let app: Express;
const cookies = {} as Record<'resident' | 'operator' | 'admin', string>;

const alwaysUp: HealthProbe = { check: async () => ({ database: 'up', temporal: 'up' }) };

beforeAll(async () => {
  harness = await startBookingHarness('admin-staff');
  auth = createAuthService({ prisma: harness.prisma, mailer: harness.inbox.mailer });
  app = createApp({ logger: createLogger('silent'), auth, catalog: createCatalogService(harness.prisma), health: alwaysUp, secureCookies: false, extensions: bookingExtensions(harness.deps()) });
  for (const who of ['resident', 'operator', 'admin'] as const) cookies[who] = await signIn(auth, harness.inbox, harness.fixtures[who].email);
});

afterAll(async () => {
  await harness?.close();
});

const asAdmin = (path: string) => request(app).post(path).set('Cookie', cookies.admin);
const appoint = (body: unknown) => asAdmin('/api/admin/staff/operators').send(body as object);
const me = (cookie: string) => request(app).get('/api/me').set('Cookie', cookie);

/** Every user, operator district and journal entry, as rows: a refused change must leave them exactly as they were. */
async function staffTables() {
  const [users, districts, journal, staffMail] = await Promise.all([
    harness.prisma.user.findMany({ orderBy: { id: 'asc' } }),
    harness.prisma.operatorDistrict.findMany({ orderBy: [{ userId: 'asc' }, { districtId: 'asc' }] }),
    harness.prisma.staffChange.findMany({ orderBy: { id: 'asc' } }),
    harness.prisma.mailOutbox.findMany({ where: { bookingId: null }, select: { id: true, kind: true, key: true, data: true }, orderBy: { id: 'asc' } }),
  ]);
  return { users, districts, journal, staffMail };
}

/** The journal's entries about one person, oldest first, as the API gives them. */
async function journalOf(userId: string) {
  const { body } = await request(app).get('/api/admin/staff/changes?limit=500').set('Cookie', cookies.admin);
  return (body.items as { subject: { id: string } }[]).filter((entry) => entry.subject.id === userId).reverse();
}

describe('appointing an operator', () => {
  it('when an administrator appoints an address nobody signed in with, then 201, the list shows it, and the person signs in as that district’s operator', async () => {
    const { districtId } = harness.fixtures;
    const email = uniqueEmail('new-operator');
    const created = await appoint({ email: email.toUpperCase(), fullName: ' Анна Петрова ', districtIds: [districtId] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), email, fullName: 'Анна Петрова', districts: [{ id: districtId, name: expect.stringContaining('Тестовый округ') }] });

    const listed = await request(app).get('/api/admin/staff').set('Cookie', cookies.admin);
    expect(listed.status).toBe(200);
    expect(listed.body.operators).toContainEqual(created.body);
    expect(listed.body.administrators).toContainEqual(expect.objectContaining({ email: harness.fixtures.admin.email }));

    const session = await signIn(auth, harness.inbox, email);
    expect((await me(session)).body).toEqual({ id: created.body.id, email, role: 'OPERATOR', districtIds: [districtId] });
    expect((await request(app).get('/api/operator/tasks').set('Cookie', session)).status).toBe(200);
  });

  it('when an operator is appointed again with other districts, then 200 and their open session has the new districts at once', async () => {
    const { districtId, otherDistrictId } = harness.fixtures;
    const email = uniqueEmail('moved-operator');
    const first = await appoint({ email, fullName: 'Олег Смирнов', districtIds: [districtId] });
    expect(first.status).toBe(201);
    const session = await signIn(auth, harness.inbox, email);

    const moved = await appoint({ email, districtIds: [otherDistrictId, otherDistrictId] });
    expect(moved.status).toBe(200);
    expect(moved.body.districts.map((district: { id: number }) => district.id)).toEqual([otherDistrictId]);
    // No name given: the one it had stays; null clears it.
    expect(moved.body.fullName).toBe('Олег Смирнов');
    expect((await me(session)).body).toMatchObject({ role: 'OPERATOR', districtIds: [otherDistrictId] });
    const unnamed = await appoint({ email, fullName: null, districtIds: [otherDistrictId] });
    expect(unnamed.body.fullName).toBeNull();
  });

  it('when the same new address is appointed twice at once, then one account is made, one answer is 201 and the other 200', async () => {
    const email = uniqueEmail('double-click');
    const answers = await Promise.all([0, 1].map(() => appoint({ email, districtIds: [harness.fixtures.districtId] })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(answers[0].body.id).toBe(answers[1].body.id);
    expect(await harness.prisma.user.count({ where: { email } })).toBe(1);
  });

  it('when a resident with a session is appointed, then their session is an operator’s at once', async () => {
    const resident = await harness.fixtures.newResident();
    const session = await signIn(auth, harness.inbox, resident.email);
    expect((await me(session)).body.role).toBe('RESIDENT');
    const promoted = await appoint({ email: resident.email, districtIds: [harness.fixtures.districtId] });
    expect(promoted.status).toBe(201);
    expect(promoted.body.id).toBe(resident.id);
    expect((await me(session)).body).toMatchObject({ role: 'OPERATOR', districtIds: [harness.fixtures.districtId] });
  });

  it('when a resident with open applications is appointed, then they still see, order services on and cancel them as the applicant, and their district’s other staff decide on them', async () => {
    const { districtId, otherDistrictId, operator } = harness.fixtures;
    const resident = await harness.fixtures.newResident();
    const session = await signIn(auth, harness.inbox, resident.email);
    const apply = async () =>
      (await request(app).post('/api/bookings').set('Cookie', session).set('Idempotency-Key', randomUUID()).send(bookingBody(await harness.fixtures.newRoom(), 86_400_000, 3_600_000, { addOns: [] }))).body as { id: string };
    const elsewhere = await apply(); // in districtId, which they will not work
    const own = await apply();
    await recordCallback(harness.deps(), operator, elsewhere.id, { outcome: 'AGREED' });
    expect((await appoint({ email: resident.email, districtIds: [otherDistrictId] })).status).toBe(201);

    // As the applicant, outside the districts they work.
    expect((await request(app).get(`/api/bookings/${elsewhere.id}`).set('Cookie', session)).status).toBe(200);
    const ordered = await request(app).post(`/api/bookings/${elsewhere.id}/addons`).set('Cookie', session).send({ addOns: [{ code: 'CATERING' }] });
    expect({ status: ordered.status, addOns: ordered.body.addOns?.map((line: { code: string }) => line.code) }).toEqual({ status: 200, addOns: ['CATERING'] });
    const cancelled = await request(app).post(`/api/bookings/${elsewhere.id}/cancel`).set('Cookie', session).send({ reason: 'Передумали' });
    expect({ status: cancelled.status, booking: cancelled.body.status }).toEqual({ status: 200, booking: 'CANCELLED' });
    expect((await request(app).get('/api/bookings').set('Cookie', session)).body.items.map((item: { id: string }) => item.id).sort()).toEqual([elsewhere.id, own.id].sort());

    // Appointed to the district of their own application: not the one to decide on it.
    expect((await appoint({ email: resident.email, districtIds: [districtId, otherDistrictId] })).status).toBe(200);
    const decided = await request(app).post(`/api/operator/bookings/${own.id}/callback`).set('Cookie', session).send({ outcome: 'AGREED', attempt: 1 });
    expect({ status: decided.status, code: decided.body.code }).toEqual({ status: 403, code: 'forbidden' });
    expect((await request(app).get(`/api/bookings/${own.id}`).set('Cookie', session)).body.status).toBe('AWAITING_CALLBACK');
    // The district's other operator does.
    expect((await request(app).post(`/api/operator/bookings/${own.id}/callback`).set('Cookie', cookies.operator).send({ outcome: 'AGREED', attempt: 1 })).status).toBe(200);
  });

  it.each([
    ['an administrator’s address', 409, 'administrator-account', () => ({ email: harness.fixtures.admin.email, districtIds: [harness.fixtures.districtId] })],
    ['a district that does not exist', 422, 'unknown-district', () => ({ email: uniqueEmail('nowhere'), districtIds: [harness.fixtures.districtId, 2_147_483_000] })],
    ['no district', 400, 'validation-failed', () => ({ email: uniqueEmail('no-district'), districtIds: [] })],
    ['no address', 400, 'validation-failed', () => ({ districtIds: [harness.fixtures.districtId] })],
    ['a malformed address', 400, 'validation-failed', () => ({ email: 'operator at mosreg', districtIds: [harness.fixtures.districtId] })],
    ['a field the API does not know', 400, 'validation-failed', () => ({ email: uniqueEmail('role'), districtIds: [harness.fixtures.districtId], role: 'ADMIN' })],
  ])('when the body names %s, then it is refused (%i %s) and nothing changes', async (_what, status, code, body) => {
    const before = await staffTables();
    const refused = await appoint(body());
    expect(refused.status).toBe(status);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status, code, title: expect.any(String) });
    expect(await staffTables()).toEqual(before);
  });

  it('when a refusal is asked for in English, then it reads in English', async () => {
    const refused = await appoint({ email: harness.fixtures.admin.email, districtIds: [harness.fixtures.districtId] }).set('Accept-Language', 'en');
    expect(refused.body).toMatchObject({ title: 'This is an administrator’s account', detail: expect.stringContaining('ADMIN_EMAILS') });
    const russian = await appoint({ email: harness.fixtures.admin.email, districtIds: [harness.fixtures.districtId] });
    expect(russian.body.title).toBe('Это учётная запись администратора');
  });
});

describe('the staff e-mails', () => {
  const invitations = (email: string) => harness.inbox.to(email).filter((mail) => mail.subject === 'Вы назначены оператором «Открытого ДК» / You are an Open DK operator');
  const districtNotices = (email: string) => harness.inbox.to(email).filter((mail) => mail.subject === 'Ваши округа в «Открытом ДК» изменены / Your Open DK districts changed');
  const dismissals = (email: string) => harness.inbox.to(email).filter((mail) => mail.subject === 'Вы больше не оператор «Открытого ДК» / You are no longer an Open DK operator');
  const outboxSettled = () =>
    waitFor(async () => (await harness.prisma.mailOutbox.count({ where: { bookingId: null, sentAt: null, failedAt: null } })) === 0, { timeoutMs: 10_000, description: 'the staff e-mails to be sent' });

  it('when a person is appointed, then the worker e-mails them their districts and where to sign in, in Russian and English; a change of districts tells them the new ones, a change of name alone nothing', async () => {
    const { districtId, otherDistrictId } = harness.fixtures;
    const email = uniqueEmail('invited');
    expect((await appoint({ email, districtIds: [districtId, otherDistrictId] })).status).toBe(201);
    const [mail] = await harness.inbox.waitForMessages(email);
    expect(invitations(email)).toHaveLength(1);
    const names = (await harness.prisma.district.findMany({ where: { id: { in: [districtId, otherDistrictId] } }, orderBy: { name: 'asc' } })).map((district) => district.name);
    expect(mail.text).toContain(`Ваши округа: ${names.join(', ')}.`);
    expect(mail.text).toContain(`Your districts: ${names.join(', ')}.`);
    expect(mail.text).toContain('http://opendk.test/signin?next=%2Foperator');
    // Sent through the ledger, once, with no booking.
    expect(await harness.prisma.emailLedger.findMany({ where: { recipient: email }, select: { kind: true, bookingId: true, status: true } })).toEqual([{ kind: 'OPERATOR_APPOINTED', bookingId: null, status: 'SENT' }]);

    expect((await appoint({ email, districtIds: [otherDistrictId] })).status).toBe(200);
    const [moved] = await waitFor(() => (districtNotices(email).length > 0 ? districtNotices(email) : undefined), { description: 'the e-mail about the new districts' });
    const other = await harness.prisma.district.findUniqueOrThrow({ where: { id: otherDistrictId } });
    expect(moved.text).toContain(`Теперь это: ${other.name}.`);
    expect(moved.text).toContain(`They are now: ${other.name}.`);

    // The same districts with a new name: journal, no e-mail.
    expect((await appoint({ email, fullName: 'Новое Имя', districtIds: [otherDistrictId] })).status).toBe(200);
    await outboxSettled();
    expect({ invitations: invitations(email).length, notices: districtNotices(email).length }).toEqual({ invitations: 1, notices: 1 });
  });

  it('when an operator is dismissed, then they are told, once; e-mails overtaken by later changes before they went out are not sent', async () => {
    const email = uniqueEmail('told-dismissed');
    const { body: operator } = await appoint({ email, districtIds: [harness.fixtures.districtId] });
    // Its e-mail first: a dismissal before it went out would overtake it.
    await waitFor(() => invitations(email).length === 1, { description: 'the appointment’s e-mail' });
    expect((await asAdmin(`/api/admin/staff/operators/${operator.id}/dismiss`)).status).toBe(204);
    const [told] = await waitFor(() => (dismissals(email).length > 0 ? dismissals(email) : undefined), { description: 'the dismissal e-mail' });
    expect(told.text).toContain('Администратор снял с вас роль оператора');
    expect(told.text).toContain('Your own applications, if any, are still under “My applications”.');

    // Appointed, dismissed and appointed again before the worker sends anything: only the last is still true.
    await harness.stopWorker();
    try {
      expect((await asAdmin(`/api/admin/staff/operators/${operator.id}/dismiss`)).status).toBe(404);
      await appoint({ email, districtIds: [harness.fixtures.districtId] });
      expect((await asAdmin(`/api/admin/staff/operators/${operator.id}/dismiss`)).status).toBe(204);
      await appoint({ email, districtIds: [harness.fixtures.otherDistrictId] });
    } finally {
      await harness.startWorker();
    }
    await outboxSettled();
    // What was handed to the mail server (the inbox may still be reading the last one).
    const ledger = await harness.prisma.emailLedger.findMany({ where: { recipient: email, status: 'SENT' }, select: { kind: true }, orderBy: { createdAt: 'asc' } });
    expect(ledger.map((row) => row.kind)).toEqual(['OPERATOR_APPOINTED', 'OPERATOR_DISMISSED', 'OPERATOR_APPOINTED']);
    // The two overtaken before they went out are written down as withdrawn.
    const withdrawn = await harness.prisma.emailLedger.findMany({ where: { recipient: email, status: 'WITHDRAWN' }, select: { kind: true, sendAttempts: true }, orderBy: { kind: 'asc' } });
    expect(withdrawn).toEqual([{ kind: 'OPERATOR_APPOINTED', sendAttempts: 0 }, { kind: 'OPERATOR_DISMISSED', sendAttempts: 0 }]);
    await waitFor(() => invitations(email).length === 2, { description: 'the last appointment’s e-mail' });
    expect(dismissals(email)).toHaveLength(1);
  });

  it('when an operator’s districts change before their appointment’s e-mail went out, then that change is told as the appointment, with the new districts; later changes as changes', async () => {
    const { districtId, otherDistrictId } = harness.fixtures;
    const email = uniqueEmail('moved-before-told');
    await harness.stopWorker();
    try {
      expect((await appoint({ email, districtIds: [districtId] })).status).toBe(201);
      expect((await appoint({ email, districtIds: [otherDistrictId] })).status).toBe(200);
    } finally {
      await harness.startWorker();
    }
    await outboxSettled();
    // The appointment's own e-mail was withdrawn; the change's went out as the appointment.
    const ledger = await harness.prisma.emailLedger.findMany({ where: { recipient: email }, select: { kind: true, status: true }, orderBy: { status: 'asc' } });
    expect(ledger).toEqual([{ kind: 'OPERATOR_APPOINTED', status: 'SENT' }, { kind: 'OPERATOR_APPOINTED', status: 'WITHDRAWN' }]);
    const [invitation] = await waitFor(() => (invitations(email).length > 0 ? invitations(email) : undefined), { description: 'the invitation' });
    const other = await harness.prisma.district.findUniqueOrThrow({ where: { id: otherDistrictId } });
    expect(invitation.text).toContain(`Ваши округа: ${other.name}.`);
    expect(invitation.text).toContain('http://opendk.test/signin?next=%2Foperator');

    // Now they know: the next change of districts is told as one.
    expect((await appoint({ email, districtIds: [districtId] })).status).toBe(200);
    await waitFor(() => districtNotices(email).length === 1, { description: 'the e-mail about the new districts' });
    await outboxSettled();
    expect(invitations(email)).toHaveLength(1);
  });
});

describe('districts without an operator', () => {
  it('when a district has no operator, then the list names it until one is appointed, and again once they are dismissed', async () => {
    const district = await harness.prisma.district.create({ data: { id: 2_000_000_000 + (Date.now() % 100_000_000), name: `Округ без оператора ${Date.now()}`, slug: `uncovered-${Date.now()}` } });
    const uncovered = async () => (await request(app).get('/api/admin/staff').set('Cookie', cookies.admin)).body.uncoveredDistricts as { id: number; name: string }[];
    expect(await uncovered()).toContainEqual({ id: district.id, name: district.name });
    expect((await uncovered()).map((entry) => entry.id)).not.toContain(harness.fixtures.districtId);

    const { body: operator } = await appoint({ email: uniqueEmail('cover'), districtIds: [district.id] });
    expect((await uncovered()).map((entry) => entry.id)).not.toContain(district.id);
    expect((await asAdmin(`/api/admin/staff/operators/${operator.id}/dismiss`)).status).toBe(204);
    expect(await uncovered()).toContainEqual({ id: district.id, name: district.name });
  });
});

describe('dismissing an operator', () => {
  it('when an administrator dismisses an operator, then 204, their session is a resident’s at once, and a second dismissal is 404', async () => {
    const email = uniqueEmail('leaving-operator');
    const { body: operator } = await appoint({ email, districtIds: [harness.fixtures.districtId, harness.fixtures.otherDistrictId] });
    const session = await signIn(auth, harness.inbox, email);

    const dismissed = await asAdmin(`/api/admin/staff/operators/${operator.id.toUpperCase()}/dismiss`);
    expect(dismissed.status).toBe(204);
    expect((await me(session)).body).toEqual({ id: operator.id, email, role: 'RESIDENT' });
    expect((await request(app).get('/api/operator/tasks').set('Cookie', session)).status).toBe(403);
    expect(await harness.prisma.operatorDistrict.count({ where: { userId: operator.id } })).toBe(0);

    const again = await asAdmin(`/api/admin/staff/operators/${operator.id}/dismiss`);
    expect(again.status).toBe(404);
  });

  it.each([
    ['a resident', () => harness.fixtures.resident.id],
    ['an administrator', () => harness.fixtures.admin.id],
    ['nobody', () => '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', () => 'not-an-id'],
  ])('when the id names %s, then 404 and nothing changes', async (_what, id) => {
    const before = await staffTables();
    const refused = await asAdmin(`/api/admin/staff/operators/${id()}/dismiss`);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('not-found');
    expect(await staffTables()).toEqual(before);
  });
});

describe('the journal of staff changes', () => {
  it('when an operator is appointed, moved, renamed, appointed again unchanged and dismissed, then the journal has one entry per change, with who made it and the districts before and after', async () => {
    const { districtId, otherDistrictId, admin } = harness.fixtures;
    const email = uniqueEmail('journalled');
    const { body: operator } = await appoint({ email, districtIds: [districtId] });
    await appoint({ email, districtIds: [districtId, otherDistrictId] });
    await appoint({ email, fullName: 'Вера Новикова', districtIds: [otherDistrictId, districtId] });
    await appoint({ email, districtIds: [districtId, otherDistrictId] }); // nothing changes: no entry
    expect((await asAdmin(`/api/admin/staff/operators/${operator.id}/dismiss`)).status).toBe(204);

    const ids = (districts: { id: number }[]) => districts.map((district) => district.id).sort((a, b) => a - b);
    const both = [districtId, otherDistrictId].sort((a, b) => a - b);
    const entries = (await journalOf(operator.id)) as unknown as { kind: string; actor: { id: string; email: string }; subject: { email: string }; districts: { id: number; name: string }[]; previousDistricts: { id: number }[]; nameChanged: boolean; occurredAt: string }[];
    expect(entries.map((entry) => [entry.kind, ids(entry.previousDistricts), ids(entry.districts), entry.nameChanged])).toEqual([
      ['APPOINTED', [], [districtId], false],
      ['CHANGED', [districtId], both, false],
      ['CHANGED', both, both, true],
      ['DISMISSED', both, [], false],
    ]);
    for (const entry of entries) {
      expect(entry.actor).toEqual({ id: admin.id, email: admin.email });
      expect(entry.subject.email).toBe(email);
      expect(Date.parse(entry.occurredAt)).not.toBeNaN();
    }
    expect(entries[0].districts[0].name).toContain('Тестовый округ');
    // The journal keeps no names: the renaming shows as a flag only.
    expect(JSON.stringify(entries)).not.toContain('Вера Новикова');
  });

  it('when two administrators change one operator’s districts at once, then each entry’s “before” is the districts the other left', async () => {
    const { districtId, otherDistrictId } = harness.fixtures;
    const { body: operator } = await appoint({ email: uniqueEmail('contested'), districtIds: [districtId] });
    await Promise.all([appoint({ email: operator.email, districtIds: [otherDistrictId] }), appoint({ email: operator.email, districtIds: [districtId, otherDistrictId] })]);
    const entries = (await journalOf(operator.id)) as unknown as { districts: { id: number }[]; previousDistricts: { id: number }[] }[];
    expect(entries).toHaveLength(3);
    for (let index = 1; index < entries.length; index++) expect(entries[index].previousDistricts).toEqual(entries[index - 1].districts);
  });

  it('when the journal is read a page at a time, then pages follow each other newest first, and a bad page is refused', async () => {
    const { districtId, otherDistrictId } = harness.fixtures;
    const email = uniqueEmail('paged');
    for (const districtIds of [[districtId], [otherDistrictId], [districtId, otherDistrictId]]) await appoint({ email, districtIds });
    expect((await asAdmin(`/api/admin/staff/operators/${(await harness.prisma.user.findUniqueOrThrow({ where: { email } })).id}/dismiss`)).status).toBe(204);
    const { body: all } = await request(app).get('/api/admin/staff/changes').set('Cookie', cookies.admin);
    expect(all.total).toBeGreaterThanOrEqual(4);
    const { body: second } = await request(app).get('/api/admin/staff/changes?offset=1&limit=2').set('Cookie', cookies.admin);
    expect(second).toMatchObject({ offset: 1, limit: 2, total: all.total });
    expect(second.items).toEqual(all.items.slice(1, 3));
    const times = (all.items as { occurredAt: string }[]).map((entry) => Date.parse(entry.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const refused = await request(app).get('/api/admin/staff/changes?limit=0').set('Cookie', cookies.admin);
    expect(refused.status).toBe(400);
  });
});

describe('who may manage staff', () => {
  const routes = [
    { method: 'get', name: '/api/admin/staff', path: () => '/api/admin/staff' },
    { method: 'get', name: '/api/admin/staff/changes', path: () => '/api/admin/staff/changes' },
    { method: 'post', name: '/api/admin/staff/operators', path: () => '/api/admin/staff/operators', body: () => ({ email: uniqueEmail('sneaky'), districtIds: [harness.fixtures.districtId] }) },
    { method: 'post', name: '/api/admin/staff/operators/:id/dismiss', path: () => `/api/admin/staff/operators/${harness.fixtures.operator.id}/dismiss` },
  ] as const;

  it.each(routes.flatMap((route) => (['resident', 'operator', 'nobody'] as const).map((caller) => [route.method.toUpperCase(), route.name, caller, route] as const)))(
    'when %s %s is called by %s, then it is refused and nothing changes',
    async (_method, _path, caller, route) => {
      const before = await staffTables();
      let call = route.method === 'get' ? request(app).get(route.path()) : request(app).post(route.path());
      if (caller !== 'nobody') call = call.set('Cookie', cookies[caller]);
      const refused = 'body' in route ? await call.send(route.body()) : await call;
      expect(refused.status).toBe(caller === 'nobody' ? 401 : 403);
      expect(await staffTables()).toEqual(before);
    },
  );
});
