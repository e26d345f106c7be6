// The generated server's reference page at /docs, in a real headless Chromium (Debian's; no
// browser download), with no network beyond the loopback: it must list every operation, and
// "Try it out" on roles_list (authorized with a bearer token) must show a role list.
//
//   node reference_page.mjs BASE_URL OPERATIONS TOKEN ORGANIZATION ROLE_NAME
//
// Prints what it saw and exits 0 when every check held, 1 otherwise (tests/tests/docs_ui.rs).
import { chromium } from 'playwright-core';

const [base, operations, token, organization, roleName] = process.argv.slice(2);
const problems = [];
const offMachine = [];
const pageErrors = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Names resolve to nothing but the loopback: the page has to bring everything with it.
  args: ['--disable-dev-shm-usage', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30000);
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    offMachine.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  await page.goto(`${base}/docs`);
  await page.waitForFunction(() => window.referenceReady === true);
  await page.locator('.opblock').first().waitFor();

  // Every tag is open ("list"); an operation with two tags shows under both, so count
  // (method, path) pairs.
  const shown = await page.$$eval('.opblock', (blocks) => blocks.map((b) =>
    `${b.querySelector('.opblock-summary-method').textContent.trim()} ${b.querySelector('.opblock-summary-path').getAttribute('data-path')}`));
  const distinct = new Set(shown).size;
  console.log(`operations listed: ${distinct} (${shown.length} blocks)`);
  if (distinct !== Number(operations)) problems.push(`${distinct} operations listed, not ${operations}`);

  // Authorize: the bearer scheme's dialog.
  await page.locator('.auth-wrapper .btn.authorize').click();
  await page.locator('.modal-ux input[aria-label="auth-bearer-value"]').fill(token);
  await page.locator('.modal-ux .auth-btn-wrapper button.authorize').click();
  await page.locator('.modal-ux .auth-btn-wrapper button.btn-done').click();
  await page.locator('.modal-ux').waitFor({ state: 'detached' });

  // Try it out: roles_list (tag "roles") for the organization, against the serving origin.
  const operation = page.locator('#operations-roles-roles_list');
  await operation.locator('.opblock-summary-control').click();
  await operation.locator('.try-out__btn').click();
  await operation.locator('tr[data-param-name="organization_id"] input').fill(organization);
  await operation.locator('.btn.execute').click();
  const answer = operation.locator('.live-responses-table .response');
  await answer.waitFor();
  const sentTo = (await operation.locator('.request-url pre').textContent()).trim();
  const status = (await answer.locator('.response-col_status').textContent()).trim().split(/\s+/)[0];
  const body = await answer.locator('.response-col_description pre').first().textContent();
  console.log(`sent to: ${sentTo}\nstatus: ${status}\nbody: ${body}`);
  if (!sentTo.startsWith(`${base}/api/organizations/${organization}/roles/`)) problems.push(`sent to ${sentTo}`);
  if (status !== '200') problems.push(`status ${status}`);
  let list = null;
  try { list = JSON.parse(body); } catch (e) { problems.push(`the body is no JSON: ${e}`); }
  if (list && !(Array.isArray(list.results) && list.results.some((role) => role.name === roleName))) {
    problems.push(`no role named ${roleName} in the list`);
  }
} catch (e) {
  problems.push(e.stack || String(e));
} finally {
  await browser.close();
}
if (offMachine.length) problems.push(`the page asked for ${offMachine.join(', ')}`);
if (pageErrors.length) problems.push(`the page failed: ${pageErrors.join('; ')}`);
for (const p of problems) console.log(`problem: ${p}`);
process.exitCode = problems.length ? 1 : 0;
