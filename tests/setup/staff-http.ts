import { expect } from "vitest";

export const DEMO_PASSWORD = "Nebula-demo-2026";

/**
 * A form POST as the portal's own pages send it (same Origin), without following redirects.
 * Plain fields go URL-encoded; a `FormData` (files included) goes as multipart/form-data.
 */
export function postForm(
  url: string,
  fields: Record<string, string> | FormData,
  options: { cookie?: string; origin?: string } = {},
): Promise<Response> {
  const multipart = fields instanceof FormData;
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: {
      // fetch sets multipart's Content-Type itself, with its boundary.
      ...(multipart ? {} : { "Content-Type": "application/x-www-form-urlencoded" }),
      Origin: options.origin ?? new URL(url).origin,
      ...(options.cookie ? { Cookie: options.cookie } : {}),
    },
    body: multipart ? fields : new URLSearchParams(fields),
  });
}

export function getPage(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}

/** Signs in through the real form and returns the session cookie (`ee_staff=…`). */
export async function signIn(
  url: (path: string) => string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const response = await postForm(url("/staff/connexion"), { email, password });
  expect(response.status, `sign-in of ${email}`).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .find((value) => value.startsWith("ee_staff="))
    ?.split(";")[0];
  if (!cookie) throw new Error(`no session cookie for ${email}`);
  return cookie;
}
