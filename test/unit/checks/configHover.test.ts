import * as assert from 'node:assert/strict';
import { checkConfigSources } from '../../../src/core/config/check';
import { configHoverAt } from '../../../src/core/checks/configHover';
import { sourceHoverAt } from '../../../src/core/checks/sourceHover';
import { scanSource } from '../../../src/core/checks/sourcePatterns';

const file = '/ws/.vscode/ota.json';
const text = `{
  "products": [{ "pid": "plug01", "name": "Smart Plug", "firmwareKeys": ["plug-key-2024", "plug-key-2023"] }],
  "channels": [
    { "name": "main", "pid": "plug01", "firmwareKey": "plug-key-2024", "format": "esp-idf", "artifact": "a.bin", "version": { "source": "image" } },
    { "name": "ble", "pid": "plug01", "firmwareKey": "ble-key", "format": "raw", "artifact": "b.bin", "version": { "source": "git-describe" } }
  ],
  "devices": [
    { "name": "bench-plug", "deviceId": "d1", "logParser": "esp-idf", "expect": { "pid": "plug01", "firmwareKey": "plug-key-2023", "channel": "main" } },
    { "name": "desk", "deviceId": "d2", "logParser": "esp-idf", "expect": { "pid": "nope", "channel": "zig" } }
  ]
}
`;
const result = checkConfigSources({ file, text });
/** The hover at the n-th occurrence of `needle` (inside it, past the opening quote). */
function hoverAt(needle: string, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return configHoverAt(result, file, at + 2);
}

describe('config hovers on keys, PIDs and channels', () => {
  it('a PID lists its product, keys, channels and devices', () => {
    const h = hoverAt('"plug01"');
    assert.equal(text.slice(h!.offset, h!.offset + h!.length), '"plug01"');
    assert.equal(
      h!.markdown,
      '**PID `plug01`** — Smart Plug\n\nFirmware keys bound: `plug-key-2024`, `plug-key-2023`\n\nChannels: `main` (key `plug-key-2024`), `ble` (key `ble-key`)\n\nDevices expecting it: `bench-plug`',
    );
    assert.equal(hoverAt('"plug01"', 2)!.markdown, h!.markdown, 'the same from a channel\'s pid');
  });

  it('a firmware key says which products bind it, which channels release under it and which devices report it', () => {
    const h = hoverAt('"plug-key-2023"');
    assert.match(h!.markdown, /^\*\*Firmware key `plug-key-2023`\*\*\n\nBound to: Smart Plug \(`plug01`\)\n\nReleased on channels: \(none\)\n\nDevices reporting it: `bench-plug`/);
    assert.match(hoverAt('"ble-key"')!.markdown, /Bound to no product: a device that reports this key is offered no update/);
  });

  it('a channel says its key, whether that is bound, and the devices on it', () => {
    assert.equal(hoverAt('"main"')!.markdown, '**Channel `main`** of PID `plug01`\n\nReleased under firmware key `plug-key-2024`\n\nDevices on it: `bench-plug`');
    assert.match(hoverAt('"ble"')!.markdown, /key `ble-key` — not bound to this PID, so no device is offered these images/);
    assert.match(hoverAt('"zig"')!.markdown, /no such channel for PID `nope`/);
  });

  it('property names, other values and other files get no hover', () => {
    assert.equal(hoverAt('"firmwareKey"'), undefined);
    assert.equal(hoverAt('"a.bin"'), undefined);
    assert.equal(hoverAt('"bench-plug"'), undefined);
    assert.equal(configHoverAt(result, '/elsewhere/ota.json', 10), undefined);
  });
});

describe('hovers on declarations in firmware sources', () => {
  it('describe the key, channel and PID a C file declares, from the config', () => {
    const source = '#define OTA_PID "plug01"\n#define OTA_CHANNEL "ble"\n#define OTA_FW_KEY "plug-key-2023"\nint x = 1;\n';
    const decls = scanSource('/ws/main/ids.h', source);
    const at = (needle: string) => sourceHoverAt(decls, source.indexOf(needle) + 1, result);
    assert.match(at('"plug-key-2023"')!.markdown, /^\*\*Firmware key `plug-key-2023`\*\*\n\nBound to: Smart Plug/);
    assert.match(at('"ble"')!.markdown, /^\*\*Channel `ble`\*\* of PID `plug01`/);
    assert.match(at('"plug01"')!.markdown, /^\*\*PID `plug01`\*\* — Smart Plug/);
    const h = at('"plug01"')!;
    assert.equal(source.slice(h.offset, h.offset + h.length), '"plug01"');
    assert.equal(sourceHoverAt(decls, source.indexOf('int x'), result), undefined);
  });
});
