// AnthropicBots/compressor PR #1219 "make stock reservation atomic" (reduction, fixed)
const pool = require('./config/db');

const LOCK_MINUTES = 15;

async function reserveStock(userId, productId, quantity, connection) {
  const conn = connection || (await pool.getConnection());
  const ownsTransaction = !connection;
  try {
    if (ownsTransaction) await conn.beginTransaction();
    // Row lock: concurrent reservations for this product wait here until we commit.
    const [[product]] = await conn.query('SELECT stock FROM products WHERE id = ? FOR UPDATE', [productId]);
    if (!product) throw new Error('Product not found');
    const [[locked]] = await conn.query(
      'SELECT COALESCE(SUM(quantity), 0) AS lockedStock FROM inventory_locks WHERE product_id = ? AND expires_at > NOW()',
      [productId],
    );
    const availableStock = product.stock - Number(locked.lockedStock);
    if (quantity > availableStock) {
      throw new Error(`Only ${availableStock} left in stock`);
    }
    await conn.query(
      'INSERT INTO inventory_locks (user_id, product_id, quantity, expires_at) VALUES (?, ?, ?, NOW() + INTERVAL ? MINUTE)',
      [userId, productId, quantity, LOCK_MINUTES],
    );
    if (ownsTransaction) await conn.commit();
    return { reserved: quantity, availableStock: availableStock - quantity };
  } catch (err) {
    if (ownsTransaction) await conn.rollback();
    throw err;
  } finally {
    if (ownsTransaction) conn.release();
  }
}

module.exports = { reserveStock };
