import { describe, expect, it } from 'vitest';
import { fileKind, fileSize } from './file-size';

describe('[B9] how a file card says size and type', () => {
	it('[B9] sizes in bytes, KB and MB', () => {
		expect([0, 1, 812, 1024, 48_213, 3_355_443, 10_485_760, -1, NaN].map(fileSize)).toEqual(['0 bytes', '1 byte', '812 bytes', '1 KB', '47 KB', '3.2 MB', '10 MB', '', '']);
	});
	it('[B9] kinds', () => {
		expect(['application/pdf', 'text/plain; charset=utf-8', 'image/png', 'application/zip'].map(fileKind)).toEqual(['PDF', 'Text', 'PNG', 'File']);
	});
});
