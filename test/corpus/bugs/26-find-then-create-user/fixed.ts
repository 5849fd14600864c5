// Fix (the maintainers' answer): a unique index on email, and create first; when the insert
// hits the unique constraint another caller won, so read their row.
import { UniqueConstraintError, type ModelStatic } from 'sequelize';

interface User {
  id: number;
  email: string;
  name: string;
}

declare const UserModel: ModelStatic<User>;

export async function findOrCreateUser(email: string, name: string): Promise<User> {
  try {
    return await UserModel.create({ email, name });
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err;
    const winner = await UserModel.findOne({ where: { email } });
    if (!winner) throw err;
    return winner;
  }
}

export async function importSignups(signups: Array<{ email: string; name: string }>): Promise<User[]> {
  return Promise.all(signups.map((s) => findOrCreateUser(s.email, s.name)));
}
