import { DomainError, type DomainErrorType } from '../domain/errors';
import { HttpProblem, problems, type Localized } from './problem';

/** How each domain error reads to people, and which status it is. */
type ProblemSpec = { status: number; code: string; title: Localized; detail: Localized };

const DOMAIN_PROBLEMS: Record<Exclude<DomainErrorType, 'NOT_FOUND' | 'FORBIDDEN'>, ProblemSpec> = {
  VALIDATION: {
    status: 422,
    code: 'booking-rules',
    title: { ru: 'Заявку нельзя принять в таком виде', en: 'The application cannot be accepted as it is' },
    detail: { ru: 'Исправьте отмеченные поля и отправьте заявку снова.', en: 'Correct the marked fields and submit again.' },
  },
  SLOT_TAKEN: {
    status: 409,
    code: 'slot-taken',
    title: { ru: 'Это время уже занято', en: 'This time is already taken' },
    detail: {
      ru: 'Зал на выбранное время уже забронирован по другой заявке. Выберите другое время или другой зал.',
      en: 'The room is already held for another application at that time. Choose another time or room.',
    },
  },
  INVALID_STATE: {
    status: 409,
    code: 'invalid-state',
    title: { ru: 'Действие сейчас недоступно', en: 'Not possible at this stage' },
    detail: {
      ru: 'Заявка находится на другом этапе, или это действие уже выполнено. Обновите страницу.',
      en: 'The application is at another stage, or this was already done. Reload the page.',
    },
  },
  IDEMPOTENCY_MISMATCH: {
    status: 422,
    code: 'idempotency-key-reused',
    title: { ru: 'Ключ повтора уже использован', en: 'Idempotency key already used' },
    detail: {
      ru: 'С этим ключом Idempotency-Key уже отправлена другая заявка. Для новой заявки нужен новый ключ.',
      en: 'Another application was sent with this Idempotency-Key. A new application needs a new key.',
    },
  },
  UNAVAILABLE: {
    status: 503,
    code: 'service-unavailable',
    title: { ru: 'Сервис временно недоступен', en: 'Service temporarily unavailable' },
    detail: { ru: 'Повторите попытку через несколько секунд.', en: 'Try again in a few seconds.' },
  },
};

export function translateDomainError(error: unknown): HttpProblem | undefined {
  if (!(error instanceof DomainError)) return undefined;
  // Someone else's booking, or one outside an operator's districts, reads as "no such booking":
  // nothing is learnt about other people's applications.
  if (error.type === 'NOT_FOUND') return problems.notFound();
  if (error.type === 'FORBIDDEN') return problems.forbidden();
  const problem = DOMAIN_PROBLEMS[error.type];
  // A refusal that knows why (services still without a decision) says so instead of "reload".
  const reason = error.type === 'INVALID_STATE' ? error.fieldErrors[0] : undefined;
  return new HttpProblem(
    problem.status,
    problem.code,
    problem.title,
    reason ? { ru: reason.messageRu, en: reason.messageEn } : problem.detail,
    error.fieldErrors.map((fieldError) => ({ field: fieldError.field, message: { ru: fieldError.messageRu, en: fieldError.messageEn } })),
    error.type === 'UNAVAILABLE' ? { 'Retry-After': '5' } : {},
  );
}
