// Fix (the issue's): the create is wrapped in try/catch; on a duplicate key (11000) another
// request won, so its subscription is read again and used.
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
  try {
    const created = await SubscriptionRepository.create({ organization, stripeCustomerId: customer.id });
    return created.stripeCustomerId;
  } catch (err) {
    if (/** @type {{ code?: number }} */ (err).code !== 11000) throw err;
    const winner = await SubscriptionRepository.findOne({ organization });
    if (!winner?.stripeCustomerId) throw err;
    return winner.stripeCustomerId;
  }
}

const app = express();
app.post('/billing/checkout', async (req, res) => {
  res.json({ customer: await getOrCreateCustomer(String(req.body.organization)) });
});
