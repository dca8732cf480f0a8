import { z } from 'zod';
import { HttpProblem } from './problem';
import { parseRequest } from './validate';

const schema = z.strictObject({ name: z.string(), count: z.coerce.number(), items: z.array(z.object({ code: z.string() })).optional() });

function fieldErrors(value: unknown): Record<string, { ru: string; en: string }> {
  try {
    parseRequest(schema, value, 'body');
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return Object.fromEntries(error.fieldErrors.map((field) => [field.field, field.message]));
  }
  throw new Error('the value was accepted');
}

describe('parseRequest', () => {
  it('says a missing field is required, in both languages', () => {
    expect(fieldErrors({ count: 1 })['body.name']).toEqual({ ru: 'Обязательное поле', en: 'Required' });
  });

  it('names the expected and the received type in Russian words', () => {
    const errors = fieldErrors({ name: 5, count: 'много', items: ['TECH_SUPPORT'] });
    expect(errors['body.name'].ru).toBe('Неверный тип: ожидается «строка», передано «число»');
    expect(errors['body.count'].ru).toBe('Неверный тип: ожидается «число», передано «не число»');
    expect(errors['body.items.0'].ru).toBe('Неверный тип: ожидается «объект», передано «строка»');
    expect(errors['body.items.0'].en).toMatch(/expected object, received string/);
  });
});
