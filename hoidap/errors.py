"""Exceptions raised by library code; the CLI and UI translate them at the edge."""


class HoidapError(Exception):
    """Base class: the message is already a Vietnamese sentence fit for users."""


class InputError(HoidapError):
    """The user's input (question, file, option) cannot be used."""


class AccessError(HoidapError):
    """The user's role does not allow this action."""


class IngestError(HoidapError):
    """A file could not be read into a document."""


class IndexMissingError(HoidapError):
    """No usable index exists in the configured directory."""


class IndexMismatchError(HoidapError):
    """The index on disk was built with different settings than the current ones."""


class IndexDamagedError(HoidapError):
    """The index folder holds no complete, readable generation (or cannot be used at all)."""


class IndexBusyError(HoidapError):
    """Another process kept the index's writer lock for longer than we may wait."""


class GoldFileError(HoidapError):
    """A gold question file is malformed; ``problems`` lists one message per bad line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Tệp câu hỏi chuẩn không hợp lệ:\n" + "\n".join(problems))
        self.problems = problems


class QuizError(HoidapError):
    """A quiz cannot be generated, read or exported."""
