import { describeAuthFailure } from './auth-failures';
import { AuthError } from './auth-service';

describe('describeAuthFailure', () => {
  it('tells a paused address how long in hours and minutes, in both languages, and keeps the exact seconds for Retry-After', () => {
    const answer = describeAuthFailure(new AuthError('GUESSES_LIMITED', { retryAfterSeconds: 3 * 3600 + 19 * 60 + 1 }));
    expect(answer).toMatchObject({ status: 429, code: 'too-many-wrong-codes', retryAfterSeconds: 11_941 });
    expect(answer.message.ru).toContain('Попробуйте через 3 ч 20 мин.');
    expect(answer.message.en).toContain('Try again in 3 h 20 min.');
  });

  it('rounds a wait of seconds up to a minute, and an hour on the dot has no minutes', () => {
    expect(describeAuthFailure(new AuthError('RATE_LIMITED', { retryAfterSeconds: 5 })).message.ru).toContain('через 1 мин.');
    expect(describeAuthFailure(new AuthError('RATE_LIMITED', { retryAfterSeconds: 3600 })).message.en).toContain('in 1 h.');
  });

  it('counts the tries left only when the service counted one', () => {
    expect(describeAuthFailure(new AuthError('CODE_INVALID', { attemptsLeft: 2 })).message.ru).toContain('Осталось попыток: 2.');
    expect(describeAuthFailure(new AuthError('CODE_INVALID')).message.ru).toBe('Код неверный или устарел. Запросите новый код.');
  });
});
