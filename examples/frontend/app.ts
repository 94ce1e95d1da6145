// The page's script: both typed clients, pointed at this site's own backend (no secret here), a
// form per provider that shows each field's first error next to it, and a paged list of customers.
// Bundled for the browser by esbuild (server.ts); in a project of yours the imports would be
// "@payments-contracts/customers/paddle" and "/paypal".
import {
  createPaddleClient,
  firstMessageByField,
  isPaddleCustomerExistsError,
  paddleRequestValidators,
  type PaddleCustomerListQuery,
  type PaymentsError,
} from "../../src/paddle.js";
import { createPayPalClient, isPayPalCustomerExistsError, paypalRequestValidators, type PayPalCustomerListQuery } from "../../src/paypal.js";

// validateRequests: a body that breaks the spec's rules is refused here, with the same field errors
// the API would give, before anything is sent (the validators are in the bundle because they are imported).
const paddle = createPaddleClient({ baseUrl: "/api/paddle", validateRequests: paddleRequestValidators });
const paypal = createPayPalClient({ baseUrl: "/api/paypal", validateRequests: paypalRequestValidators });

const section = (id: string) => document.getElementById(id)!;

/** Shows one message per field next to it (or clears them), and a summary in the status line. */
function showErrors(root: HTMLElement, error: PaymentsError | undefined): void {
  const byField = firstMessageByField(error);
  for (const slot of root.querySelectorAll<HTMLElement>("[data-error-for]")) {
    const field = slot.dataset.errorFor!;
    slot.textContent = byField[field] ?? "";
    root.querySelector(`[name="${field}"]`)?.setAttribute("aria-invalid", String(field in byField));
  }
  const status = root.querySelector<HTMLElement>(".status")!;
  status.classList.toggle("failed", error !== undefined);
  if (!error) return;
  const unplaced = Object.keys(byField).filter((field) => !root.querySelector(`[data-error-for="${field}"]`));
  if (isPaddleCustomerExistsError(error)) status.textContent = `Not created: a customer with this email exists (${error.existingCustomerId ?? "id not given"})`;
  else if (isPayPalCustomerExistsError(error)) status.textContent = `Not created: a customer with this id exists (${error.externalId ?? "id not given"})`;
  else if (Object.keys(byField).length === 0) status.textContent = `Not created (${error.kind}): ${error.message}`;
  else status.textContent = `Not created: ${unplaced.length > 0 ? unplaced.map((f) => `${f || "body"}: ${byField[f]}`).join("; ") : "see the fields above"}`;
}

function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value).trim()]));
}

function listItem(text: string): HTMLLIElement {
  const item = document.createElement("li");
  item.textContent = text;
  return item;
}

/** A list that loads one page, and the next on "More", until the client says there is none. */
function pagedList<Query, Customer>(root: HTMLElement, first: Query, load: (query: Query) => Promise<{ items: Customer[]; next: Query | undefined; error?: PaymentsError }>, label: (c: Customer) => string) {
  const list = root.querySelector<HTMLUListElement>("ul.customers")!;
  const more = root.querySelector<HTMLButtonElement>("button.more")!;
  let next: Query | undefined = first;
  async function loadPage(reset: boolean) {
    if (reset) next = first;
    if (next === undefined) return;
    const page = await load(next);
    if (page.error) {
      list.replaceChildren(listItem(`Could not list customers (${page.error.kind})`));
      return;
    }
    if (reset) list.replaceChildren();
    list.append(...page.items.map((c) => listItem(label(c))));
    next = page.next;
    more.hidden = next === undefined;
  }
  more.addEventListener("click", () => void loadPage(false));
  return { refresh: () => loadPage(true) };
}

// Paddle
{
  const root = section("paddle");
  const customers = pagedList<PaddleCustomerListQuery, { id: string; email: string }>(
    root,
    { per_page: 5 },
    async (query) => {
      const { data, error } = await paddle.customers.list(query);
      return error ? { items: [], next: undefined, error } : { items: data.customers, next: data.next };
    },
    (c) => `${c.email} (${c.id})`,
  );
  root.querySelector("form")!.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { email, name } = formValues(event.target as HTMLFormElement);
    const { data, error } = await paddle.customers.create({ email: email ?? "", ...(name ? { name } : {}) });
    showErrors(root, error);
    if (data) {
      root.querySelector(".status")!.textContent = `Created ${data.id} for ${data.email}`;
      await customers.refresh();
    }
  });
  void customers.refresh();
}

// PayPal
{
  const root = section("paypal");
  const customers = pagedList<PayPalCustomerListQuery, { id: string; name: string }>(
    root,
    { page: 1, per_page: 5 },
    async (query) => {
      const { data, error } = await paypal.customers.list(query);
      return error ? { items: [], next: undefined, error } : { items: data.customers, next: data.next };
    },
    (c) => `${c.name} (${c.id})`,
  );
  root.querySelector("form")!.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { name, external_id, email } = formValues(event.target as HTMLFormElement);
    // One idempotency key per submitted form: a retry of this create cannot create twice.
    const { data, error } = await paypal.customers.create({ name: name ?? "", external_id: external_id ?? "", email: email ?? "" }, { paypalRequestId: crypto.randomUUID() });
    showErrors(root, error);
    if (data) {
      root.querySelector(".status")!.textContent = `Created ${data.id} for ${data.name}`;
      await customers.refresh();
    }
  });
  void customers.refresh();
}
