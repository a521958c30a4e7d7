"""Citizens judge the service (NĐ 118/2025/NĐ-CP Điều 31–34): the scale and the reasons
of a rating, who was on duty at which counter, the ratings themselves, the feedback box,
and the figures the office reports and posts.

Like the other domain packages it knows nothing of Flask or sockets: functions take a
store session (or plain values) and return values; the use cases
(signage.usecases.officers, ratings, tablets, feedback, reports) validate, audit and emit.
"""
