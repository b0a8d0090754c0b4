"""Small Markdown fixtures with the quirks of real published policies:
raw <details><summary> blocks with lists and links, kramdown {:.no_toc}
lines, skipped heading levels, 2-space nested lists, curly quotes, no final
newline.  Written for these tests."""

QUIRKY = """---
title: Example Social Media Policy
organization: Example Org
status: draft
version: '2.1'
owners:
- Communications
- Legal
---
## On this page
{:.no_toc}

- TOC
{:toc}

## Purpose
{:.no_toc}

Staff who post about the company follow these rules. Read the [code of conduct](https://example.org/conduct) first.

#### Skipped level heading

This heading skips a level; the text uses “curly quotes” and it’s fine.

<details>
  <summary markdown='span'>
    Do say who you work for
  </summary>
Mention <b>your role</b> when you post about work. See <a href="https://example.org/disclose">the disclosure page</a>.
</details>

<details>
  <summary markdown='span'>
    Don't share private data
  </summary>

<ul>
<li>Never post <b>customer</b> names.</li>
<li>Ask the <a href="https://example.org/privacy">privacy team</a> first.</li>
</ul>

Also read [the privacy notice](https://example.org/notice).
</details>

## Channels

- Official accounts
  - Main account
    - Daily posts
- Personal accounts

1. First step
2. Second step
   1. Sub step

Another list:

1. Starts again
2. Continues

| Channel | Owner | Hours |
| --- | --- | --- |
| LinkedIn | Comms | 24 |
| Forum | Support | 48 |

> Quoted guidance for everyone.

---

```
code line one
    indented line
```

Some `inline code`, *italic* and **bold** text.<br>After a break."""

ROUND_TRIP = """---
title: Round Trip Policy
organization: Example Org
status: approved
version: '1.0'
owners:
- Communications
---
# Round Trip Policy

## Scope

This applies to **all staff** and *contractors*. See [our site](https://example.org/site).

### Channels

- Official accounts
  - Main account
    - Daily posts
- Personal accounts

1. First step
2. Second step

| Channel | Owner |
| --- | --- |
| LinkedIn | Comms |
| Forum | Support |

## Review

Reviewed every year.
"""


def lengthened(text: str, sections: int = 3) -> str:
    """*text* with *sections* more "##" sections of plain prose appended,
    long enough (about a page) to get a contents page."""
    paragraph = ("Staff check the facts before they post, say who they work for when they "
                 "recommend our services, and ask the communications desk when a question "
                 "about a post is not answered here. Posts stay polite, short and accurate. ")
    extra = "".join(f"\n\n## Further guidance part {n + 1}\n\n" + paragraph * 4 for n in range(sections))
    return text.rstrip("\n") + extra + "\n"
