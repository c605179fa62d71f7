import { readRunRecord } from '../../../test/output-readers.js';
import { outputConformance } from './conformance.js';
import { recordOutput } from './record.js';

outputConformance({ type: recordOutput, file: 'run.json.gz', arg: (path) => path, read: readRunRecord });
