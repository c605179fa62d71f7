import { readRunRecord } from '../../../test/output-readers.js';
import { fileDestinations, outputConformance } from './conformance.js';
import { recordOutput } from './record.js';

outputConformance({ type: recordOutput, reports: ['requests', 'state', 'thresholds'], ...fileDestinations('run.json.gz', (arg) => ({ arg }), readRunRecord) });
