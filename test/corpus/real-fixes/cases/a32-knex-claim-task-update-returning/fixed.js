// knex/knex issue #476: atomic task claim with UPDATE ... WHERE status = 'new' RETURNING (reduction, fixed)
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });
const io = require('socket.io')(3000);

async function nextTask() {
  const rows = await knex('data')
    .update({ status: 'computing', started_at: knex.fn.now() })
    .whereIn('id', /** @this {any} */ function () {
      this.select('id').from('data').where('status', 'new').limit(1).forUpdate().skipLocked();
    })
    .returning('*');
  return rows[0] || null;
}

io.on('connection', (socket) => {
  socket.on('ready', async () => {
    const task = await nextTask();
    if (task) socket.emit('task', task);
    else socket.emit('idle');
  });
  socket.on('result', async ({ id, result }) => {
    await knex('data').where({ id, status: 'computing' }).update({ status: 'done', result });
  });
});
