import { describe, expect, it } from 'vitest';
import { editableFromCheckout, editableWarning } from '../../../core/sandbox/editable-installs.js';

const CHECKOUT = '/home/u/proj';

describe('editable installs of the checkout', () => {
  it("finds each of pip's and setuptools' marks that point into the checkout", () => {
    const files = [
      // What pip install -e . wrote for a src layout (as read from a real venv).
      { name: '__editable__.demo-0.1.pth', text: '/home/u/proj/src\n' },
      { name: 'demo-0.1.dist-info/direct_url.json', text: '{"dir_info": {"editable": true}, "url": "file:///home/u/proj"}' },
      { name: '__editable___demo_0_1_finder.py', text: "MAPPING: dict[str, str] = {'demo': '/home/u/proj/src/demo'}\nNAMESPACES = {}\n" },
      { name: 'demo.egg-link', text: '/home/u/proj\n.\n' },
      // Others' editable installs and ordinary packages.
      { name: '__editable__.other-1.0.pth', text: '/home/u/other/src\n' },
      { name: 'pytest-8.0.dist-info/direct_url.json', text: '{"url": "file:///home/u/proj/wheels/pytest.whl", "archive_info": {}}' },
      { name: 'spaced-1.dist-info/direct_url.json', text: '{"dir_info": {"editable": true}, "url": "file:///home/u/proj%20two"}' },
    ];
    expect(editableFromCheckout(files, CHECKOUT)).toEqual([
      '__editable__.demo-0.1.pth',
      '__editable___demo_0_1_finder.py',
      'demo-0.1.dist-info/direct_url.json',
      'demo.egg-link',
    ]);
    expect(editableFromCheckout(files, '/home/u/proj two')).toEqual(['spaced-1.dist-info/direct_url.json']);
  });

  // Malformed or misleading marks: broken JSON, a sibling folder with the same prefix, an import line, a relative path.
  it('ignores malformed marks and folders that only share a prefix with the checkout', () => {
    const files = [
      { name: 'a-1.dist-info/direct_url.json', text: '{"dir_info": {"editable": true}, "url": ' },
      { name: '__editable__.b-1.pth', text: '/home/u/project-two/src\n' },
      { name: '__editable__.c-1.pth', text: 'import __editable___c_finder; __editable___c_finder.install()\n' },
      { name: 'd.egg-link', text: 'proj\n' },
      { name: 'e-1.dist-info/direct_url.json', text: '{"dir_info": {"editable": "yes"}, "url": "file:///home/u/proj"}' },
    ];
    expect(editableFromCheckout(files, CHECKOUT)).toEqual([]);
  });

  it('says in one line what would be tested and what to do', () => {
    const w = editableWarning('/tmp/venv', CHECKOUT, ['__editable__.demo-0.1.pth']);
    expect(w).not.toContain('\n');
    expect(w).toMatch(/^\/tmp\/venv has an editable install from your checkout \/home\/u\/proj .*not each candidate's/);
  });
});
