"""Fast letter packs: lay each kind of letter out once, then print each person's details on it.

WeasyPrint takes 20 to 40 ms to lay out a letter, too slow for a pack of 10,000. But in a pack
the letters of one quick question or invitation differ only in a few lines: the address in the
window, "Dear Ada,", the name and reference on the reply slip, the reference by the date and the
line at the foot. So a pack lays out each *shape* of letter once, with those lines left blank
(hidden placeholders of the same size, so everything else lands where it would), notes where
each blank line's baseline is, and then, for every letter, puts the laid-out page in (a PDF form
XObject, shared) and writes the person's lines on top in the same fonts, sizes and places.

The person's lines are drawn with the same system fonts WeasyPrint uses (Liberation Sans, DejaVu
Sans Mono), embedded once per pack with a ToUnicode map, so the text can be selected, searched
and read by Notify's address check. Text that could look different drawn this simply (a
character the font lacks, right-to-left or combining scripts, a line that would not fit) is not
stamped: that letter is laid out in full by WeasyPrint instead, so every letter looks right.
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

from coproduce.messaging.layout import pdf_and_slots

if TYPE_CHECKING:
    from pypdf import PdfWriter
    from pypdf.generic import IndirectObject

PX = 0.75  # WeasyPrint lays out in CSS pixels; a PDF point is 4/3 of one
# The fonts the letter's stylesheet names, by (family, bold): what a slot may be drawn in.
FONTS = {
    ("liberation sans", False): ("/CpSans", "Liberation Sans:regular"),
    ("liberation sans", True): ("/CpSansBold", "Liberation Sans:bold"),
    ("dejavu sans mono", True): ("/CpMonoBold", "DejaVu Sans Mono:bold"),
}
FOOTER_WIDTH = 180 / 25.4 * 72  # the line at the foot may run across the page, 180 mm
TEMPLATES_KEPT = 32  # shapes laid out and kept for the pack (a pack usually has one or two)


@dataclass(frozen=True)
class Slot:
    """Where one blank line's text goes: page, left edge and baseline (PDF points, from the
    bottom left), size, font, and how wide it may be."""

    page: int
    x: float
    y: float
    size: float
    font: str
    width: float
    spacing: float = 0.0  # extra space after each character (CSS letter-spacing), points


@cache
def _font_path(pattern: str) -> str:
    # fontconfig finds the same file for WeasyPrint (through Pango) and for us.
    found = subprocess.run(  # noqa: S603 (a fixed system command, our own pattern)
        ["fc-match", "-f", "%{file}", pattern],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


class Font:
    """A TrueType font: what it can draw, how wide text is, and the PDF objects to embed it."""

    def __init__(self, path: str) -> None:
        from fontTools.ttLib import TTFont

        self.path = path
        self.tt = TTFont(path, lazy=True)
        self.upem = self.tt["head"].unitsPerEm
        self.cmap: dict[int, str] = self.tt.getBestCmap()
        self.gid = {name: i for i, name in enumerate(self.tt.getGlyphOrder())}
        self.advance = {name: adv for name, (adv, _) in self.tt["hmtx"].metrics.items()}

    def can_draw(self, text: str) -> bool:
        for char in text:
            if ord(char) not in self.cmap or unicodedata.combining(char):
                return False
            if unicodedata.bidirectional(char) in ("R", "AL", "AN"):
                return False
        return True

    def width(self, text: str, size: float, spacing: float = 0.0) -> float:
        advance = sum(self.advance[self.cmap[ord(c)]] for c in text) * size / self.upem
        return advance + spacing * len(text)

    def fit(self, text: str, size: float, width: float) -> str:
        """`text` cut to `width` points (a window shows no more)."""
        used, kept = 0.0, []
        for char in text:
            used += self.advance[self.cmap[ord(char)]] * size / self.upem
            if used > width:
                break
            kept.append(char)
        return "".join(kept)

    def encode(self, text: str) -> str:
        return "".join(f"{self.gid[self.cmap[ord(c)]]:04X}" for c in text)

    def embed(self, writer: PdfWriter) -> IndirectObject:
        """The whole font, once per pack, as a Type 0 font with Identity-H and a ToUnicode map."""
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            FloatObject,
            NameObject,
            NumberObject,
            StreamObject,
        )

        def name(value: str) -> NameObject:
            return NameObject(value)

        def number(value: float) -> NumberObject | FloatObject:
            return NumberObject(round(value))

        scale = 1000 / self.upem
        base = "/" + self.tt["name"].getDebugName(6).replace(" ", "")
        with open(self.path, "rb") as binary:
            data = binary.read()
        font_file = StreamObject()
        font_file.set_data(data)
        font_file[name("/Length1")] = NumberObject(len(data))
        head, hhea = self.tt["head"], self.tt["hhea"]
        os2 = self.tt["OS/2"]
        descriptor = DictionaryObject(
            {
                name("/Type"): name("/FontDescriptor"),
                name("/FontName"): name(base),
                name("/Flags"): NumberObject(32),
                name("/FontBBox"): ArrayObject(
                    [number(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
                ),
                name("/ItalicAngle"): NumberObject(0),
                name("/Ascent"): number(hhea.ascent * scale),
                name("/Descent"): number(hhea.descent * scale),
                name("/CapHeight"): number(getattr(os2, "sCapHeight", hhea.ascent) * scale),
                name("/StemV"): NumberObject(80),
                name("/FontFile2"): writer._add_object(font_file.flate_encode()),
            }
        )
        order = self.tt.getGlyphOrder()
        widths = ArrayObject([number(self.advance[g] * scale) for g in order])
        cid_font = DictionaryObject(
            {
                name("/Type"): name("/Font"),
                name("/Subtype"): name("/CIDFontType2"),
                name("/BaseFont"): name(base),
                name("/CIDSystemInfo"): DictionaryObject(
                    {
                        name("/Registry"): _text("Adobe"),
                        name("/Ordering"): _text("Identity"),
                        name("/Supplement"): NumberObject(0),
                    }
                ),
                name("/FontDescriptor"): writer._add_object(descriptor),
                name("/W"): ArrayObject([NumberObject(0), widths]),
                name("/CIDToGIDMap"): name("/Identity"),
            }
        )
        to_unicode = StreamObject()
        to_unicode.set_data(self._to_unicode())
        return writer._add_object(
            DictionaryObject(
                {
                    name("/Type"): name("/Font"),
                    name("/Subtype"): name("/Type0"),
                    name("/BaseFont"): name(base),
                    name("/Encoding"): name("/Identity-H"),
                    name("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
                    name("/ToUnicode"): writer._add_object(to_unicode.flate_encode()),
                }
            )
        )

    def _to_unicode(self) -> bytes:
        first: dict[int, int] = {}
        for code, glyph in sorted(self.cmap.items()):
            first.setdefault(self.gid[glyph], code)
        pairs = [
            f"<{gid:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
            for gid, code in sorted(first.items())
        ]
        blocks = [
            f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar"
            for chunk in (pairs[i : i + 100] for i in range(0, len(pairs), 100))
        ]
        return (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + "\n".join(blocks)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        ).encode("ascii")


def _text(value: str) -> Any:
    from pypdf.generic import TextStringObject

    return TextStringObject(value)


@cache
def font(resource: str) -> Font:
    for key, pattern in FONTS.values():
        if key == resource:
            return Font(_font_path(pattern))
    raise LookupError(resource)


@cache
def available() -> bool:
    """Whether this machine has the fonts (and fontconfig's `fc-match`) to stamp with; without
    them every letter is laid out in full, which is slower but just as right."""
    try:
        for key, _ in FONTS.values():
            font(key)
    except (OSError, subprocess.CalledProcessError, LookupError, KeyError):
        return False
    return True


def slot_from_box(box: Any, block: Any, page: int, page_height: float) -> Slot | None:
    """A slot from the first text box inside a laid-out placeholder, in PDF points."""
    style = box.style
    family = str(style["font_family"][0]).lower()
    bold = int(style["font_weight"]) >= 600
    found = FONTS.get((family, bold))
    if found is None:
        return None
    right = block.content_box_x() + block.width if block is not None else box.position_x
    spacing = style["letter_spacing"]
    return Slot(
        page=page,
        x=box.position_x * PX,
        y=page_height - (box.position_y + box.baseline) * PX,
        size=float(style["font_size"]) * PX,
        font=found[0],
        width=(right - box.position_x) * PX,
        spacing=float(spacing) * PX if isinstance(spacing, int | float) else 0.0,
    )


@dataclass
class Template:
    forms: list[IndirectObject]  # each page, laid out, as a form XObject
    resources: list[IndirectObject]  # each page's resources: its form and our fonts
    size: tuple[float, float]
    slots: dict[str, Slot]


class Stamper:
    """Adds letters to a pack by stamping each person's lines on a shared laid-out page."""

    def __init__(self, writer: PdfWriter, render_blank: Any) -> None:
        self.writer = writer
        self.render_blank = render_blank  # letter -> HTML of its shape, personal lines blank
        self.templates: OrderedDict[Any, Template] = OrderedDict()
        self.fonts: dict[str, IndirectObject] = {}

    def _fonts(self) -> Any:
        from pypdf.generic import DictionaryObject, NameObject

        if not self.fonts:
            for key, _ in FONTS.values():
                self.fonts[key] = font(key).embed(self.writer)
        return DictionaryObject({NameObject(k): ref for k, ref in self.fonts.items()})

    def _template(self, shape: Any, letter: Any) -> Template:
        found = self.templates.get(shape)
        if found is not None:
            self.templates.move_to_end(shape)
            return found
        from pypdf import PdfReader
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

        pdf, slots = pdf_and_slots(self.render_blank(letter), slot_from_box)
        reader = PdfReader(BytesIO(pdf))
        forms, resources = [], []
        fonts = self._fonts()
        for page in reader.pages:
            box = page.mediabox
            form = StreamObject()
            contents = page.get_contents()
            form.set_data(contents.get_data() if contents is not None else b"")
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            form[NameObject("/BBox")] = ArrayObject(box)
            page_resources = page["/Resources"].get_object()
            assert page_resources is not None
            form[NameObject("/Resources")] = page_resources.clone(self.writer)
            form_ref = self.writer._add_object(form.flate_encode())
            forms.append(form_ref)
            resources.append(
                self.writer._add_object(
                    DictionaryObject(
                        {
                            NameObject("/XObject"): DictionaryObject(
                                {NameObject("/CpPage"): form_ref}
                            ),
                            NameObject("/Font"): fonts,
                        }
                    )
                )
            )
        first = reader.pages[0].mediabox
        template = Template(forms, resources, (float(first.width), float(first.height)), slots)
        self.templates[shape] = template
        if len(self.templates) > TEMPLATES_KEPT:
            self.templates.popitem(last=False)
        return template

    def add(self, shape: Any, letter: Any, lines: dict[str, str], footer: str) -> bool:
        """Add `letter`'s pages with `lines` (slot name -> text) stamped on; False (and nothing
        added) when a line cannot be drawn this way, so the caller lays the letter out itself."""
        from pypdf.generic import NameObject, StreamObject

        template = self._template(shape, letter)
        runs: list[list[str]] = [[] for _ in template.forms]
        for slot_name, text in [*lines.items(), ("footer", footer)]:
            if not text:
                continue
            slot = template.slots.get(slot_name)
            if slot is None:
                return False
            face = font(slot.font)
            if not face.can_draw(text):
                return False
            if slot_name.startswith("address-"):
                text = face.fit(text, slot.size, slot.width)  # the window shows no more
            elif slot_name == "footer":  # its box was as wide as the placeholder: the page's
                text = face.fit(text, slot.size, FOOTER_WIDTH)
            elif face.width(text, slot.size, slot.spacing) > slot.width:
                return False
            pages = range(len(runs)) if slot_name == "footer" else [slot.page]
            for page in pages:
                runs[page].append(
                    f"BT {slot.font} {slot.size:.3f} Tf {slot.spacing:.3f} Tc "
                    f"1 0 0 1 {slot.x:.3f} {slot.y:.3f} Tm <{face.encode(text)}> Tj ET"
                )
        width, height = template.size
        for index, form_runs in enumerate(runs):
            blank_page = self.writer.add_blank_page(width, height)
            blank_page[NameObject("/Resources")] = template.resources[index]
            stream = StreamObject()
            stream.set_data(("q /CpPage Do Q\n0 g\n" + "\n".join(form_runs)).encode("ascii"))
            blank_page[NameObject("/Contents")] = self.writer._add_object(stream.flate_encode())
        return True
