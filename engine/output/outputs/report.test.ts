import { readReport } from '../../../test/dashboard-readers.js';
import { fileDestinations, outputConformance } from './conformance.js';
import { reportOutput } from './report.js';

outputConformance({ type: reportOutput, reports: ['requests', 'state', 'thresholds'], ...fileDestinations('report.html.gz', (arg) => ({ arg }), readReport) });
