import { foldLine, icsUtc, renderIcs } from './ics';

const event = {
  bookingId: '9dbe4e33-0f4d-81f3-8564-c6d14c708fd7',
  sequence: 0,
  startsAt: new Date('2026-12-25T15:00:00.000Z'),
  endsAt: new Date('2026-12-25T17:30:00.000Z'),
  stamp: new Date('2026-11-25T10:00:00.000Z'),
  summary: 'Концерт; хор, оркестр',
  location: 'ДК «Октябрь», Большой зал, г. Балашиха, ул. Ленина, 1',
  description: 'Заявка ДК-9DBE-4E33-0F4D. '.repeat(5),
  organizerEmail: 'no-reply@opendk.test',
  attendeeEmail: 'resident@example.test',
};

describe('iCalendar invitations', () => {
  test('when a booking is confirmed, then the invitation is a REQUEST with SEQUENCE 0, a UID from the booking id and UTC times', () => {
    const ics = renderIcs({ ...event, method: 'REQUEST' });
    const lines = ics.split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['METHOD:REQUEST', 'UID:booking-9dbe4e33-0f4d-81f3-8564-c6d14c708fd7@opendk', 'SEQUENCE:0', 'DTSTART:20261225T150000Z', 'DTEND:20261225T173000Z', 'STATUS:CONFIRMED']));
    expect(ics).toContain('SUMMARY:Концерт\\; хор\\, оркестр');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  test('when a booking is cancelled, then the same UID comes with METHOD:CANCEL and SEQUENCE 1', () => {
    const ics = renderIcs({ ...event, method: 'CANCEL', sequence: 1 });
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain('SEQUENCE:1');
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain('UID:booking-9dbe4e33-0f4d-81f3-8564-c6d14c708fd7@opendk');
  });

  test('when a line is longer than 75 octets, then it is folded without splitting a Cyrillic letter', () => {
    const folded = foldLine(`DESCRIPTION:${'Ж'.repeat(100)}`);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(`DESCRIPTION:${'Ж'.repeat(100)}`);
    expect(icsUtc(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });

  test('when the title holds a lone CR, a CRLF, a tab or another control character, then each line of the invitation is one clean content line', () => {
    const ics = renderIcs({ ...event, method: 'REQUEST', summary: 'Концерт\rхора\r\nи\nоркестра\tв\u000bзале' });
    expect(ics).toContain('SUMMARY:Концерт\\nхора\\nи\\nоркестра в зале');
    for (const line of ics.split('\r\n')) expect(line).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
  });
});
