import { HOURS_GENITIVE, PEOPLE_GENITIVE, russianPlural } from './plural';

const forms = { one: 'заявка', few: 'заявки', many: 'заявок' };

test.each([
  [1, 'заявка'], [21, 'заявка'], [101, 'заявка'], [1001, 'заявка'],
  [2, 'заявки'], [4, 'заявки'], [23, 'заявки'], [104, 'заявки'],
  [0, 'заявок'], [5, 'заявок'], [11, 'заявок'], [12, 'заявок'], [14, 'заявок'], [111, 'заявок'], [112, 'заявок'], [20, 'заявок'], [25, 'заявок'],
])('%i takes "%s"', (count, expected) => {
  expect(russianPlural(count, forms)).toBe(expected);
});

test('people after "до": 21 человека, 22 человек, 11 человек', () => {
  expect([21, 22, 11, 31, 5].map((count) => `до ${count} ${russianPlural(count, PEOPLE_GENITIVE)}`)).toEqual([
    'до 21 человека',
    'до 22 человек',
    'до 11 человек',
    'до 31 человека',
    'до 5 человек',
  ]);
});

test('hours after "до": 1 часа, 21 часа, 3 часов, 12 часов', () => {
  expect([1, 21, 3, 12].map((count) => `до ${count} ${russianPlural(count, HOURS_GENITIVE)}`)).toEqual(['до 1 часа', 'до 21 часа', 'до 3 часов', 'до 12 часов']);
});
