import type { Request } from 'express';

/**
 * The session cookie is SameSite=Lax, which still lets a sibling site (another host of the
 * same domain, such as the Temporal UI's) send a POST with it; a POST without a body needs no
 * preflight either, and a sibling host can also plant cookies for the whole domain (a CSRF
 * cookie with its token, to sign someone into another's account). A browser says where a
 * request comes from (Sec-Fetch-Site, else Origin): a change asked for by any other site,
 * sibling or not, is one to refuse, for the API and the portal's forms alike. Programs that send
 * neither header are not browsers, and their requests carry no ambient cookie to abuse.
 * `publicHost` (PUBLIC_URL's) is the site's own too: a proxy may hand on another Host.
 */
export function isCrossSiteWrite(req: Request, publicHost?: string): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  // Hosts only: behind a TLS proxy the page is https while this hop is http. req.host is the
  // proxy's X-Forwarded-Host when proxies are trusted (TRUST_PROXY_HOPS), else the Host header.
  if (origin === undefined) return false;
  const from = hostOf(origin);
  return from !== req.host && (publicHost === undefined || from !== publicHost);
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (a sandboxed frame, a file) is no host of ours
  }
}
