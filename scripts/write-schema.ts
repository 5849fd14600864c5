// Writes schema/racelint.schema.json from the rule registry (npm run schema).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../server/src/core/configSchema';

const target = path.join(__dirname, '..', 'schema', 'racelint.schema.json');
fs.writeFileSync(target, JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), target)}`);
