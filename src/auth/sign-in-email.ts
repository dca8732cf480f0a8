/** The sign-in e-mail. Residents read it, so it is in Russian; English follows below. */
export function renderSignInCode(code: string, ttlMs: number): { subject: string; text: string; html: string } {
  const minutes = Math.round(ttlMs / 60_000);
  // Not the code itself: subjects show on lock screens and in mail servers' logs.
  const subject = 'Код для входа в «Открытый ДК» / Open DK sign-in code';
  const text = [
    'Здравствуйте!',
    '',
    `Ваш код для входа на портал «Открытый ДК»: ${code}`,
    `Код действует ${minutes} минут. Никому его не сообщайте.`,
    'Если вы не запрашивали код, просто проигнорируйте это письмо.',
    '',
    `Your Open DK sign-in code is ${code}. It is valid for ${minutes} minutes. Do not share it with anyone.`,
    'If you did not ask for a code, just ignore this e-mail.',
  ].join('\n');
  const html = [
    '<p>Здравствуйте!</p>',
    `<p>Ваш код для входа на портал «Открытый ДК»: <strong style="font-size:1.4em;letter-spacing:.2em">${code}</strong></p>`,
    `<p>Код действует ${minutes} минут. Никому его не сообщайте.<br>Если вы не запрашивали код, просто проигнорируйте это письмо.</p>`,
    `<p lang="en" style="color:#555">Your Open DK sign-in code is ${code}. It is valid for ${minutes} minutes. Do not share it with anyone.<br>If you did not ask for a code, just ignore this e-mail.</p>`,
  ].join('\n');
  return { subject, text, html };
}
