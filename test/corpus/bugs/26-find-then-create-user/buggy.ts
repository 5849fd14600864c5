// sequelize/sequelize#3931 (and #1599): findOrCreate was a find followed by a create; three
// concurrent calls for the same email all found nothing and inserted three users.
import type { ModelStatic } from 'sequelize';

interface User {
  id: number;
  email: string;
  name: string;
}

declare const UserModel: ModelStatic<User>;

export async function findOrCreateUser(email: string, name: string): Promise<User> {
  const existing = await UserModel.findOne({ where: { email } });
  if (existing) return existing;
  return UserModel.create({ email, name });
//       ^ check-then-act
}

export async function importSignups(signups: Array<{ email: string; name: string }>): Promise<User[]> {
  return Promise.all(signups.map((s) => findOrCreateUser(s.email, s.name)));
}
