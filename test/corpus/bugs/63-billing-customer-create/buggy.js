// pierreb-devkit/Node #3260: two concurrent checkout requests of one organization both find no
// subscription with a Stripe customer and both create one; the second create hits the unique
// index on `organization` (E11000) and the user gets a raw 502.
import express from 'express';

/** @type {{ findOne(q: { organization: string }): Promise<{ stripeCustomerId?: string } | null>, create(s: { organization: string, stripeCustomerId: string }): Promise<{ stripeCustomerId: string }> }} */
const SubscriptionRepository = /** @type {any} */ (globalThis).SubscriptionRepository;
/** @type {{ customers: { create(o: { metadata: { organization: string } }, opts: { idempotencyKey: string }): Promise<{ id: string }> } }} */
const stripe = /** @type {any} */ (globalThis).stripe;

/** @param {string} organization */
async function getOrCreateCustomer(organization) {
  const subscription = await SubscriptionRepository.findOne({ organization });
  if (subscription?.stripeCustomerId) return subscription.stripeCustomerId;
  const customer = await stripe.customers.create({ metadata: { organization } }, { idempotencyKey: `customer-${organization}` });
  const created = await SubscriptionRepository.create({ organization, stripeCustomerId: customer.id });
//                      ^ check-then-act
  return created.stripeCustomerId;
}

const app = express();
app.post('/billing/checkout', async (req, res) => {
  res.json({ customer: await getOrCreateCustomer(String(req.body.organization)) });
});
