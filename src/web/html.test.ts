import { escapeHtml, html } from './html';

describe('html templates', () => {
  it('when values hold markup, then they are escaped; nested templates are not', () => {
    const name = '<script>alert("x")</script> & \'q\'';
    const out = html`<p title="${name}">${name}${html`<b>ok</b>`}${[html`<i>1</i>`, '<2>']}${null}${false}</p>`;
    expect(out.toString()).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;<b>ok</b><i>1</i>&lt;2&gt;</p>',
    );
    expect(escapeHtml('a"b')).toBe('a&quot;b');
  });
});
