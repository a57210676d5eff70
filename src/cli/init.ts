// init: a draft profile folder from a vendor's published document (src/init), and a summary of what
// it found and of the TODOs it left.
import { initProfile, summary } from '../init/index.ts';
import { UsageError } from './usage.ts';

export async function initCommand(values: Record<string, any>, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`init takes the path of one document (the vendor's OpenAPI or Swagger file)${positionals.length ? `, not ${positionals.length}` : ''}`);
  if (!values.resource) throw new UsageError('init needs --resource NAME: the resource the profile judges, as the paths name it (snapshot)');
  const result = initProfile({ document: positionals[0]!, resource: values.resource, parent: values.parent, out: values.out, id: values.id, docsUrl: values['docs-url'] });
  process.stdout.write(`${summary(result)}\n`);
  return 0;
}
