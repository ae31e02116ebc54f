"""What laptop and hub say to each other: the protocol version, and each request and
answer as one typed shape, used by the hub's routes to check what arrives and by
``sync.client`` to read what comes back.

A refusal is answered as ``{"error": CODE, "detail": WORDS}`` with an HTTP status of
4xx or 5xx; the codes are ``app.codes.Code``. A refused change in a push answers with
its code and words too, and says whether a later push may still take it.

FastAPI reads these annotations at run time, so this module does not postpone them.
"""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from app.codes import Code as Code
from sync.proofs import hub_address

# 2: device proofs name the hub (key and address) and carry a stamp; 3: ops may carry
# discussions written ahead, a group's welcome, and who invited a member.
PROTOCOL = 3
PROTOCOL_HEADER = "Moot-Protocol"
MAX_PAGE = 5_000  # the most ops any hub returns per pull, whatever its settings

Hex64 = Annotated[str, Field(min_length=64, max_length=64, pattern="^[0-9a-f]+$")]
Hex128 = Annotated[str, Field(min_length=128, max_length=128, pattern="^[0-9a-f]+$")]
InviteCode = Annotated[str, Field(min_length=8, max_length=100)]


def _dialled(url: str) -> str:
    hub_address(url)  # ValueError: not an http(s) address, said as malformed (422)
    return url


_PORT = r"6553[0-5]|655[0-2]\d|65[0-4]\d\d|6[0-4]\d{3}|[1-5]\d{4}|\d{1,4}"
_HOST = r"\[::1\]|[0-9A-Za-z-]{1,63}(\.[0-9A-Za-z-]{1,63})*"
# As the laptop dialled it: http(s), a host name (or IPv6 loopback), a port, a path;
# the pattern says in the API's description what the checks in ``hub_address`` allow.
HubUrl = Annotated[
    str,
    Field(
        min_length=8,
        max_length=2_000,
        pattern=rf"^[Hh][Tt][Tt][Pp][Ss]?://({_HOST})(:({_PORT}))?(/[-!$%&'()*+,./0-9:;=A-Z_a-z~]*)?$",
    ),
    AfterValidator(_dialled),
]
OpStatus = Literal["accepted", "duplicate", "rejected"]


class HubInfo(BaseModel):
    """``GET /v1/hub``: the hub's name, its device key (which proofs name) and version."""

    name: str
    device: str
    protocol: int


class JoinRequest(BaseModel):
    """``POST /v1/join``: redeem an invitation code, proving the laptop's key."""

    code: InviteCode
    device: Hex64
    proof: Hex128
    stamp_ms: int
    hub_url: HubUrl
    name: Annotated[str, Field(max_length=100)] = ""


class JoinReply(BaseModel):
    group_id: str
    group_name: str
    token: str
    role: str


class EnrolRequest(BaseModel):
    """``POST /v1/groups/{id}/enrol``: a laptop admitted in the log asks for a token."""

    device: Hex64
    proof: Hex128
    stamp_ms: int
    hub_url: HubUrl


class RegisterRequest(BaseModel):
    """``POST /v1/register``: connect a group started offline, with a registration code."""

    code: InviteCode
    group_id: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(max_length=300)] = ""
    device: Hex64
    proof: Hex128
    stamp_ms: int
    hub_url: HubUrl
    # The group's membership ops, which show the registering laptop is an organiser.
    membership: Annotated[list[dict[str, Any]], Field(max_length=20_000)]


class TokenReply(BaseModel):
    token: str


class InviteRequest(BaseModel):
    """``POST /v1/groups/{id}/invites``: an organiser asks for an invitation code."""

    role: str = "member"
    uses: Annotated[int, Field(ge=1, le=1000)] = 1
    days: Annotated[int, Field(ge=1, le=365)] = 14


class InviteReply(BaseModel):
    code: str


class PushRequest(BaseModel):
    """``POST /v1/groups/{id}/ops``: signed ops in their wire form (``app.ops``)."""

    ops: list[dict[str, Any]]


class OpAnswer(BaseModel):
    """The hub's answer for one pushed op."""

    id: str
    status: OpStatus
    seq: int | None = None  # where it stands in the hub's log
    # A rejection's code (a str: a newer hub may know codes this laptop does not).
    code: str | None = None
    reason: str | None = None
    retry: bool | None = None  # a rejection a later push may turn into acceptance


class PushReply(BaseModel):
    results: list[OpAnswer]
    head: int


class PullReply(BaseModel):
    """``GET /v1/groups/{id}/ops?after=&limit=``: the ops after a point of the log.

    Read by the laptop without this model: a bootstrap's pages are the bulk of what it
    decodes, so ``sync.engine`` checks them as it turns them into ops.
    """

    ops: list[dict[str, Any]]  # {"seq": n, "op": wire op}
    head: int


class ErrorBody(BaseModel):
    """Every refusal: the code a program reads and the words a person reads."""

    error: str
    detail: str
