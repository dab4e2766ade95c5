//! What a word's classes mean: the bits that [`super::words::classify`] sets for a folded word, and [`View`],
//! one sentence's words with their classes. The modules that know about words (dates, regions, roles,
//! weapons) read these bits; `words` asks each of them what a word is, so the bits live apart from both.

use super::lexicon;
use super::text::Folded;

/// A set of classes (the constants below, or-ed; the event classes of [`super::events`] above bit 32).
pub type Classes = u64;

/// The word reports an event on its own (one of [`super::events::REPORTS_EVENT`]).
pub const TRIGGER: Classes = 1;
/// Where a word's [`super::events::EventClasses`] sit in its classes.
pub(super) const EVENT_SHIFT: u32 = 32;

/// The event classes among `classes`.
pub fn event_classes(classes: Classes) -> super::events::EventClasses {
    (classes >> EVENT_SHIFT) as super::events::EventClasses
}
/// The word hedges the sentence ("could", "potential").
pub const HEDGE: Classes = 2;
/// The word can be part of a date (a month, a weekday, "yesterday", or it starts with a digit).
pub const DATE: Classes = 4;
/// The word can name a weapon (starts like a model or a weapon word).
pub const WEAPON: Classes = 8;
/// The word reports speech (see [`super::lexicon::is_speech`]).
pub const SPEECH: Classes = 16;
/// The word sends people or things somewhere (see [`super::lexicon::DESTINATION_STEMS`]).
pub const DESTINATION: Classes = 32;
/// The word houses people ("розміщують", "housed"): after it, "в"/"у" marks a destination.
pub const HOUSING: Classes = 64;
/// The word holds the letters of a caption marker ("photo", "getty", "фото"): only a sentence with one
/// can match [`super::lexicon::CAPTION_MARKERS`], so the others skip that scan.
pub const CAPTION: Classes = 128;
/// In [`lexicon::NOT_PLACES`]: common words, demonyms and the like that are never places.
pub const NOT_PLACE: Classes = 1 << 8;
/// A facility word of the event lexicon ("street", "park", "regiment", "улица"): a name beside it is a named
/// thing, not a settlement (see [`super::events::FACILITY`]).
pub const FACILITY: Classes = (super::events::FACILITY as Classes) << EVENT_SHIFT;
/// A word of the event lexicon that, after a name only, makes it a named thing ("pipeline", "river"; see
/// [`super::events::FACILITY_AFTER`]).
pub const FACILITY_AFTER: Classes = (super::events::FACILITY_AFTER as Classes) << EVENT_SHIFT;
/// A power plant word of the event lexicon ("NPP", «АЭС»; see [`super::events::PLANT`]).
pub const PLANT: Classes = (super::events::PLANT as Classes) << EVENT_SHIFT;
/// In [`lexicon::SETTLEMENT_CUE_SET`] ("village", "селе").
pub const SETTLEMENT_CUE: Classes = 1 << 10;
/// In [`lexicon::ENGLISH_WORDS`].
pub const ENGLISH: Classes = 1 << 11;
/// In [`lexicon::CYRILLIC_COMMON`].
pub const CYRILLIC_COMMON: Classes = 1 << 12;
/// In [`lexicon::GIVEN_NAMES`].
pub const GIVEN_NAME: Classes = 1 << 13;
/// In [`lexicon::TITLES`].
pub const TITLE: Classes = 1 << 14;
/// In [`lexicon::OUTLET_WORDS`] ("Times", "Independent").
pub const OUTLET: Classes = 1 << 15;
/// In [`lexicon::FEATURE_WORDS`] ("dam", "bridge"): after a place, the event is near it.
pub const FEATURE: Classes = 1 << 16;
/// A word that, before a place, puts the event near it ("near", "outskirts"; the roles module's list).
pub const NEAR: Classes = 1 << 17;
/// A word allowed between a place and its region phrase ("in", "the", "village", "селе"; the extractor's
/// gap list, whose punctuation is checked apart).
pub const ATTACH_GAP: Classes = 1 << 18;
/// A word that can start or name a region phrase on its own: a region word ("region", "области"), a
/// stand-alone name ("LPR", "Крым") or an oblast nickname ("Харківщині"); [`super::regions::find`] looks
/// at no other word.
pub const REGION: Classes = 1 << 19;
/// A one-word context cue before a place ("from", "visited"; see [`super::roles::is_context_cue`]).
pub const CONTEXT_CUE: Classes = 1 << 20;
/// The first word of a two-word context cue ("governor" of "governor of").
pub const CONTEXT_PAIR_FIRST: Classes = 1 << 21;
/// The second word of a two-word context cue ("of" of "governor of").
pub const CONTEXT_PAIR_SECOND: Classes = 1 << 22;
/// The word starts like a weapon model (or a Kh- missile; see [`super::weapons::word_classes`]).
pub const WEAPON_MODEL: Classes = 1 << 23;
/// Three bits: the class of the first generic weapon entry the word starts with, as 1 + its index in
/// [`super::weapons::CLASSES`], or 0 (see [`super::weapons::generic_of_classes`]).
pub const GENERIC_WEAPON: Classes = 0b111 << GENERIC_WEAPON_SHIFT;
pub(super) const GENERIC_WEAPON_SHIFT: u32 = 24;
/// "between" ("между", "між"): starts a "between A and B" pair (see [`BETWEEN_WORDS`]).
pub const BETWEEN: Classes = 1 << 27;
/// A hospital word ("hospital", "больницу", "лікарні"; see [`super::lexicon::HOSPITAL_STEMS`]).
pub const HOSPITAL: Classes = 1 << 28;
/// A word that can mark an earlier event ("year" of "last year", "торік", "в мае", "2023"; see
/// [`super::dates::is_earlier_word`]).
pub const EARLIER: Classes = 1 << 29;
/// A word that dates a sentence to the report's own days ("Tuesday", "yesterday", "overnight"; see
/// [`super::dates::is_now_word`]).
pub const NOW: Classes = 1 << 30;

/// The folded words of one sentence and their classes, looked at once for all the sentence's mentions.
/// Token indices are the document's.
pub struct View<'a> {
    first: usize,
    last: usize,
    lower: &'a Folded,
    classes: &'a [Classes],
    /// Every class some word of the sentence has.
    any: Classes,
    caption: bool,
}

impl<'a> View<'a> {
    /// The event classes some word of the sentence has (see [`super::events`]).
    pub fn event_classes(&self) -> super::events::EventClasses {
        event_classes(self.any)
    }

    /// A view of the sentence `s_first..s_last` of a document folded as `lower`, whose tokens' classes
    /// ([`super::words::of`]) are `classes`.
    pub fn new(lower: &'a Folded, classes: &'a [Classes], s_first: usize, s_last: usize) -> View<'a> {
        let classes = &classes[s_first..s_last];
        let any = classes.iter().fold(0, |a, c| a | c);
        let caption = any & CAPTION != 0 && lexicon::is_caption(lower.range(s_first, s_last));
        View { first: s_first, last: s_last, lower, classes, any, caption }
    }

    /// The first token of the sentence.
    pub fn first(&self) -> usize {
        self.first
    }

    /// One past the last token of the sentence.
    pub fn last(&self) -> usize {
        self.last
    }

    /// The folded token `i` (a document index inside the sentence).
    #[inline]
    pub fn w(&self, i: usize) -> &'a str {
        self.lower.word(i)
    }

    /// The classes of token `i` (a document index inside the sentence).
    #[inline]
    pub fn class(&self, i: usize) -> Classes {
        self.classes[i - self.first]
    }

    /// Does some word of the sentence have `class`?
    pub fn has(&self, class: Classes) -> bool {
        self.any & class != 0
    }

    /// Is the sentence a photo caption or credit line (it holds one of [`lexicon::CAPTION_MARKERS`])?
    pub fn caption(&self) -> bool {
        self.caption
    }

    /// The indices of the sentence's tokens with `class`, in order.
    pub fn with_class(&self, class: Classes) -> impl Iterator<Item = usize> + Clone + '_ {
        (self.first..self.last).filter(move |&i| self.class(i) & class != 0)
    }
}
