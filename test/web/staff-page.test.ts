import { uniqueEmail } from '../support/app';
import { fieldOf, formsOf, formWithButton, pageText, useWebPortal } from './web-portal';

/** The administrators' staff page: appoint, edit and dismiss operators with forms alone. */

const portal = useWebPortal('web-staff-page');

// Sign-in codes are rate-limited per address: the administrator signs in once for all the tests.
let adminBrowser: ReturnType<typeof portal.signedIn> | undefined;
const signedInAdmin = () => (adminBrowser ??= portal.signedIn(portal.harness.fixtures.admin.email));

/** The page's text before the journal (the lists and the form), and the journal's. */
const JOURNAL_START = '<section class="staff-journal"';
const beforeJournal = (markup: string) => pageText(markup.slice(0, markup.indexOf(JOURNAL_START)));
const journalText = (markup: string) => pageText(markup.slice(markup.indexOf(JOURNAL_START)));

const staffRows = () => portal.harness.prisma.user.findMany({ where: { role: 'OPERATOR' }, include: { operatorDistricts: true }, orderBy: { id: 'asc' } });

it('when an administrator appoints an operator on the page, then the list shows them and they work their district’s queue', async () => {
  const { fixtures } = portal.harness;
  // A district nobody works: the page says its applications wait.
  const uncovered = await portal.harness.prisma.district.create({ data: { id: 2_000_000_000 + (Date.now() % 100_000_000), name: `Округ без оператора ${Date.now()}`, slug: `uncovered-${Date.now()}` } });
  const admin = await signedInAdmin();
  const page = await admin.get('/admin/staff');
  expect(page.status).toBe(200);
  expect(page.markup).toMatch(/<a href="\/admin\/staff" aria-current="page">Сотрудники<\/a>/);
  expect(page.markup).not.toMatch(/<a href="\/admin" aria-current="page">/);
  expect(pageText(page.markup)).toMatch(new RegExp(`Округа без оператора \\(их заявки видят только администраторы\\): [^.]*${uncovered.name}`));
  // The operators already there, and every district to choose from.
  expect(pageText(page.markup)).toContain(fixtures.operator.email);
  const form = formWithButton(page, 'Сохранить');
  expect(page.markup).toContain(`name="districts" value="${fixtures.districtId}"`);
  expect(page.markup).toContain(`name="districts" value="${fixtures.otherDistrictId}"`);

  const email = uniqueEmail('page-operator');
  const fields = form.fields.filter(([name]) => name === '_csrf');
  const saved = await admin.post(form.action, [...fields, ['email', email], ['fullName', 'Мария Иванова'], ['districts', String(fixtures.districtId)], ['districts', String(fixtures.otherDistrictId)]]);
  expect(saved.url).toBe('/admin/staff?done=appointed');
  const text = pageText(saved.markup);
  expect(text).toContain('Оператор назначен.');
  expect(text).toContain(`Мария Иванова ${email}`);
  const districtNames = await portal.harness.prisma.district.findMany({ where: { id: { in: [fixtures.districtId, fixtures.otherDistrictId] } }, orderBy: { name: 'asc' } });
  expect(text).toContain(districtNames.map((district) => district.name).join(', '));

  const operator = await portal.signedIn(email);
  const queue = await operator.get('/operator');
  expect(queue.status).toBe(200);
  expect(pageText(queue.markup)).toContain('Задачи оператора');
});

it('when an administrator edits an operator, then the form starts from their districts and saving replaces them', async () => {
  const { fixtures, prisma } = portal.harness;
  const admin = await signedInAdmin();
  const email = uniqueEmail('edited-operator');
  const start = formWithButton(await admin.get('/admin/staff'), 'Сохранить');
  await admin.post(start.action, [...start.fields.filter(([name]) => name === '_csrf'), ['email', email], ['fullName', 'Ирина Кузнецова'], ['districts', String(fixtures.districtId)]]);
  const { id } = await prisma.user.findUniqueOrThrow({ where: { email } });

  const editing = await admin.get(`/admin/staff?edit=${id}`);
  expect(pageText(editing.markup)).toContain('Изменение оператора');
  const form = formWithButton(editing, 'Сохранить');
  expect(fieldOf(form, 'email')).toBe(email);
  expect(fieldOf(form, 'fullName')).toBe('Ирина Кузнецова');
  // The address is the operator's: shown, not to be changed here.
  expect(editing.markup).toMatch(/id="f-email"[^>]*readonly/);
  expect(fieldOf(form, 'operator')).toBe(id);
  expect(form.fields.filter(([name]) => name === 'districts')).toEqual([['districts', String(fixtures.districtId)]]);

  const saved = await admin.post(form.action, [...form.fields.filter(([name]) => name !== 'districts'), ['districts', String(fixtures.otherDistrictId)]]);
  expect(pageText(saved.markup)).toContain('Округа оператора сохранены.');
  expect((await prisma.operatorDistrict.findMany({ where: { userId: id } })).map((row) => row.districtId)).toEqual([fixtures.otherDistrictId]);

  // A refused edit stays an edit of the same operator.
  const refused = await admin.post(form.action, form.fields.filter(([name]) => name !== 'districts'));
  expect(refused.status).toBe(422);
  expect(pageText(refused.markup)).toContain('Изменение оператора');
  expect(fieldOf(formWithButton(refused, 'Сохранить'), 'operator')).toBe(id);

  // Appointed again from the blank form, by address alone: the name stays.
  const blank = formWithButton(await admin.get('/admin/staff'), 'Сохранить');
  await admin.post(blank.action, [...blank.fields.filter(([name]) => name !== 'email'), ['email', email], ['districts', String(fixtures.districtId)]]);
  expect(await prisma.user.findUniqueOrThrow({ where: { email }, select: { fullName: true } })).toEqual({ fullName: 'Ирина Кузнецова' });

  // Edited with the name erased: the name goes.
  const again = formWithButton(await admin.get(`/admin/staff?edit=${id}`), 'Сохранить');
  await admin.post(again.action, [...again.fields.filter(([name]) => name !== 'fullName'), ['fullName', '']]);
  expect(await prisma.user.findUniqueOrThrow({ where: { email }, select: { fullName: true } })).toEqual({ fullName: null });
});

it('when the form is incomplete or names an administrator, then the page says what is wrong, keeps what was typed, and nothing changes', async () => {
  const { fixtures } = portal.harness;
  const admin = await signedInAdmin();
  const form = formWithButton(await admin.get('/admin/staff'), 'Сохранить');
  const csrf = form.fields.filter(([name]) => name === '_csrf');
  const before = await staffRows();

  const empty = await admin.post(form.action, [...csrf, ['email', 'не адрес'], ['fullName', 'Пётр']]);
  expect(empty.status).toBe(422);
  expect(pageText(empty.markup)).toContain('Исправьте ошибки Укажите адрес электронной почты, например ivanova@example.ru Выберите хотя бы один округ');
  expect(fieldOf(formWithButton(empty, 'Сохранить'), 'fullName')).toBe('Пётр');

  const adminAccount = await admin.post(form.action, [...csrf, ['email', fixtures.admin.email], ['districts', String(fixtures.districtId)]]);
  expect(adminAccount.status).toBe(409);
  expect(pageText(adminAccount.markup)).toContain('администраторов назначает настройка ADMIN_EMAILS');
  expect(formWithButton(adminAccount, 'Сохранить').fields).toContainEqual(['districts', String(fixtures.districtId)]);

  // Too long is refused, not cut: a cut address could be someone else's.
  const tooLong = await admin.post(form.action, [...csrf, ['email', `${'a'.repeat(250)}@example.test`], ['fullName', 'Я'.repeat(201)], ['districts', String(fixtures.districtId)]]);
  expect(tooLong.status).toBe(422);
  expect(pageText(tooLong.markup)).toContain('Исправьте ошибки Укажите адрес электронной почты, например ivanova@example.ru Имя — не длиннее 200 символов');

  const unknown = await admin.post(form.action, [...csrf, ['email', uniqueEmail('unknown-district')], ['districts', '999999999']]);
  expect(unknown.status).toBe(422);
  expect(pageText(unknown.markup)).toContain('Такого округа нет в каталоге');

  expect(await staffRows()).toEqual(before);
});

it('when an administrator dismisses an operator, then they leave the list and the operator pages refuse them', async () => {
  const { fixtures, prisma } = portal.harness;
  const admin = await signedInAdmin();
  const email = uniqueEmail('dismissed-operator');
  const start = formWithButton(await admin.get('/admin/staff'), 'Сохранить');
  await admin.post(start.action, [...start.fields.filter(([name]) => name === '_csrf'), ['email', email], ['districts', String(fixtures.districtId)]]);
  const operator = await portal.signedIn(email);
  expect((await operator.get('/operator')).status).toBe(200);

  const dismissed = await admin.submit(await admin.get('/admin/staff'), `Снять роль оператора ${email}`);
  expect(dismissed.url).toBe('/admin/staff?done=dismissed');
  expect(pageText(dismissed.markup)).toContain('Роль оператора снята.');
  expect(beforeJournal(dismissed.markup)).not.toContain(email);
  expect((await operator.get('/operator')).status).toBe(403);
  expect((await prisma.user.findUniqueOrThrow({ where: { email } })).role).toBe('RESIDENT');

  // The journal, newest first: the dismissal, then the appointment, each with who made it.
  const district = await prisma.district.findUniqueOrThrow({ where: { id: fixtures.districtId } });
  const journal = journalText(dismissed.markup);
  const dismissal = journal.indexOf(`${email} Роль оператора снята (округа были: ${district.name}) ${fixtures.admin.email}`);
  const appointment = journal.indexOf(`${email} Назначен оператором: ${district.name} ${fixtures.admin.email}`);
  expect(dismissal).toBeGreaterThan(-1);
  expect(appointment).toBeGreaterThan(dismissal);
});

it('when the journal is longer than a page, then it pages newest first, and a page past its end leads to the last one', async () => {
  const { fixtures, prisma } = portal.harness;
  const admin = await signedInAdmin();
  const subject = await fixtures.newResident();
  // Entries a day in the future: the newest of all, whatever the other tests wrote.
  const base = Date.now() + 86_400_000;
  await prisma.staffChange.createMany({
    data: Array.from({ length: 21 }, (_, index) => ({ kind: 'CHANGED' as const, actorId: fixtures.admin.id, subjectId: subject.id, districtIds: [fixtures.districtId], previousDistrictIds: [fixtures.otherDistrictId], nameChanged: index === 0, occurredAt: new Date(base + index * 60_000) })),
  });
  const first = await admin.get('/admin/staff');
  const firstJournal = journalText(first.markup);
  expect(firstJournal.split(subject.email)).toHaveLength(21); // 20 entries on the first page
  const next = /<a [^>]*rel="next" href="([^"]+)"/.exec(first.markup)?.[1];
  expect(next).toMatch(/^\/admin\/staff\?after=[\w-]+#journal-title$/);
  const second = await admin.get(next!);
  const secondJournal = journalText(second.markup);
  // The oldest of the 21, with its renaming, is the first entry of page 2.
  expect(secondJournal).toMatch(new RegExp(`^Журнал изменений [^]*?${subject.email.replace(/\./g, '\\.')} Округа: [^;]+ → [^;]+; имя изменено`));
  const past = await admin.get('/admin/staff?page=999');
  const last = Math.ceil((await prisma.staffChange.count()) / 20);
  expect(past.redirects).toEqual([`/admin/staff?page=${last}`]);
  expect(past.status).toBe(200);
  // The future entries would push other tests' entries off the first page.
  await prisma.staffChange.deleteMany({ where: { subjectId: subject.id } });
});

it('when a resident or an operator opens the staff page or sends its forms, then 403 and the menu does not offer it', async () => {
  const { fixtures } = portal.harness;
  const before = await staffRows();
  for (const person of [fixtures.resident, fixtures.operator]) {
    const browser = await portal.signedIn(person.email);
    const refused = await browser.get('/admin/staff');
    expect(refused.status).toBe(403);
    expect(refused.markup).not.toContain('href="/admin/staff"');
    const csrf = formsOf(refused.markup).flatMap((form) => form.fields).filter(([name]) => name === '_csrf');
    // Refused for the role (the page says so), not for a missing CSRF token.
    expect(csrf).toHaveLength(1);
    for (const sent of [await browser.post('/admin/staff/operators', [...csrf, ['email', person.email], ['districts', String(fixtures.districtId)]]), await browser.post(`/admin/staff/operators/${fixtures.operator.id}/dismiss`, csrf)]) {
      expect(sent.status).toBe(403);
      expect(pageText(sent.markup)).toContain('Доступ запрещён У вас нет прав на это действие.');
    }
  }
  expect(await staffRows()).toEqual(before);
});

it('when the page is asked for in English, then it reads in English', async () => {
  // Another tab of the same session, so the language it picks stays there.
  const admin = (await signedInAdmin()).fork();
  const page = await admin.get('/admin/staff?lang=en');
  const text = pageText(page.markup);
  expect(text).toContain('Appoint an operator');
  expect(text).toContain('Administrators are named by the ADMIN_EMAILS setting');
  expect(page.markup).toMatch(/<a href="\/admin\/staff" aria-current="page">Staff<\/a>/);
});
