import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultModelCacheDir, hubSettings } from './hub-settings';

describe('defaultModelCacheDir', () => {
  it("follows CROSSRANK_CACHE_DIR, then huggingface_hub's own order", () => {
    const home = os.homedir();
    expect(defaultModelCacheDir({})).toBe(path.join(home, '.cache', 'huggingface', 'hub'));
    expect(defaultModelCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/huggingface/hub');
    expect(defaultModelCacheDir({ XDG_CACHE_HOME: '/x', HF_HOME: '/h' })).toBe('/h/hub');
    expect(defaultModelCacheDir({ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/old' })).toBe('/old');
    expect(defaultModelCacheDir({ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/old', HF_HUB_CACHE: '/hub' })).toBe('/hub');
    expect(defaultModelCacheDir({ HF_HUB_CACHE: '/hub', CROSSRANK_CACHE_DIR: '/c' })).toBe('/c/hub');
  });

  it('treats blank variables as unset, expands ~ and resolves relative paths', () => {
    expect(defaultModelCacheDir({ CROSSRANK_CACHE_DIR: '  ', HF_HOME: '' })).toBe(defaultModelCacheDir({}));
    expect(defaultModelCacheDir({ HF_HOME: '~/hf' })).toBe(path.join(os.homedir(), 'hf', 'hub'));
    expect(defaultModelCacheDir({ HF_HUB_CACHE: 'rel' })).toBe(path.resolve('rel'));
  });

  it('reads process.env on every call', () => {
    const saved = process.env.CROSSRANK_CACHE_DIR;
    try {
      process.env.CROSSRANK_CACHE_DIR = '/first';
      expect(defaultModelCacheDir()).toBe('/first/hub');
      process.env.CROSSRANK_CACHE_DIR = '/second';
      expect(defaultModelCacheDir()).toBe('/second/hub');
    } finally {
      if (saved === undefined) delete process.env.CROSSRANK_CACHE_DIR;
      else process.env.CROSSRANK_CACHE_DIR = saved;
    }
  });
});

describe('hubSettings', () => {
  it('reads HF_ENDPOINT without its trailing slash, and huggingface.co by default', () => {
    expect(hubSettings({ HF_HOME: '/nowhere' }).endpoint).toBe('https://huggingface.co');
    expect(hubSettings({ HF_HOME: '/nowhere', HF_ENDPOINT: 'http://127.0.0.1:8080/' }).endpoint).toBe('http://127.0.0.1:8080');
  });

  it.each([
    ['1', true],
    ['true', true],
    ['YES', true],
    ['on', true],
    ['0', false],
    ['false', false],
    ['', false],
  ])('HF_HUB_OFFLINE=%j is offline: %s (as huggingface_hub reads it)', (value, offline) => {
    expect(hubSettings({ HF_HOME: '/nowhere', HF_HUB_OFFLINE: value }).offline).toBe(offline);
  });

  it('honours TRANSFORMERS_OFFLINE as huggingface_hub does', () => {
    expect(hubSettings({ HF_HOME: '/nowhere', TRANSFORMERS_OFFLINE: '1' }).offline).toBe(true);
  });

  it('takes HF_TOKEN, else the token file a `hf auth login` wrote, else none', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'crossrank-hf-home-'));
    try {
      expect(hubSettings({ HF_HOME: home }).token).toBeUndefined();
      writeFileSync(path.join(home, 'token'), 'hf_from_file\n');
      expect(hubSettings({ HF_HOME: home }).token).toBe('hf_from_file');
      expect(hubSettings({ HF_HOME: home, HF_TOKEN: 'hf_from_env' }).token).toBe('hf_from_env');
      const elsewhere = path.join(home, 'elsewhere');
      writeFileSync(elsewhere, 'hf_from_path');
      expect(hubSettings({ HF_HOME: home, HF_TOKEN_PATH: elsewhere }).token).toBe('hf_from_path');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
