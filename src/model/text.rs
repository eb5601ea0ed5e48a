//! Cell text held once and shared: a shared string of an xlsx referenced
//! by 12,000 cells is one allocation, not 12,000 copies, and copying a
//! text value (into a formula result, a lookup index, a script column)
//! costs a reference count, not the text.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Immutable text that clones cheaply: every clone shares one buffer.
/// Reads as a `&str` through `Deref`; build one with `Text::from` (or
/// `.into()`) from a `String` or `&str`. Shared through an `Arc`, so a
/// value holding it can move between threads.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Arc<str>);

impl Text {
    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether another `Text` shares this one's buffer (a shared string
    /// handed to many cells).
    pub fn is_shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1
    }

    /// Whether `self` and `other` share one buffer (a clone of each
    /// other), which makes comparing them free.
    pub fn shares_buffer(&self, other: &Text) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::from("")
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(Arc::from(s.as_str()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Arc::from(s))
    }
}

impl From<Box<str>> for Text {
    fn from(s: Box<str>) -> Self {
        Text(Arc::from(s))
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(s: Cow<'_, str>) -> Self {
        match s {
            Cow::Borrowed(s) => Text::from(s),
            Cow::Owned(s) => Text::from(s),
        }
    }
}

impl From<char> for Text {
    fn from(c: char) -> Self {
        Text::from(c.encode_utf8(&mut [0; 4]) as &str)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.as_str().to_owned()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_buffer_and_compare_as_text() {
        let a = Text::from(String::from("Customer 007"));
        let b = a.clone();
        assert!(a.shares_buffer(&b) && a.is_shared());
        assert_eq!(a, "Customer 007");
        assert_eq!("Customer 007", a);
        assert_eq!(a, Text::from("Customer 007"));
        assert!(!a.shares_buffer(&Text::from("Customer 007")));
        assert_eq!(a.len(), 12);
        assert_eq!(format!("{a}|{a:?}"), "Customer 007|\"Customer 007\"");
        assert_eq!(String::from(b), "Customer 007");
        assert!(!a.is_shared());
        assert_eq!(Text::default(), "");
    }

    #[test]
    fn text_is_two_words_and_crosses_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Text>();
        assert_eq!(std::mem::size_of::<Text>(), 16);
    }
}
