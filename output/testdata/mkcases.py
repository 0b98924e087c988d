import sys
def vbi(n):
    out=b''
    while True:
        c=n&0x7f; n>>=7
        if n: c|=0x80
        out+=bytes([c])
        if not n: return out
def s(x):
    if isinstance(x,str): x=x.encode()
    return len(x).to_bytes(2,'big')+x
def u16(n): return n.to_bytes(2,'big')
def u32(n): return n.to_bytes(4,'big')
def pkt(first, body): return bytes([first])+vbi(len(body))+body
def props(*ps):
    b=b''.join(ps); return vbi(len(b))+b
def connect(level=5, flags=2, ka=60, pr=None, cid='c', will=None, user=None, pw=None, name=None):
    name = name or ('MQIsdp' if level==3 else 'MQTT')
    b=s(name)+bytes([level,flags])+u16(ka)
    if level==5: b+=pr if pr is not None else props()
    b+=s(cid)
    if will:
        wp,wt,wm=will
        if level==5: b+=wp
        b+=s(wt)+s(wm)
    if user is not None: b+=s(user)
    if pw is not None: b+=s(pw)
    return pkt(0x10,b)

# --- the cases: each is a list of (direction, bytes) TCP segments ---------
P = lambda i, b: bytes([i]) + b
allprops = props(
    P(0x01, b'\x01'), P(0x02, u32(600)), P(0x03, s('text/plain')), P(0x08, s('resp/t')),
    P(0x09, s(b'\x01\x02corr')), P(0x0b, vbi(300)), P(0x11, u32(30)), P(0x12, s('assigned')),
    P(0x13, u16(20)), P(0x15, s('SCRAM')), P(0x16, s(b'\x00\xffdata')), P(0x17, b'\x01'),
    P(0x18, u32(5)), P(0x19, b'\x01'), P(0x1a, s('info')), P(0x1c, s('other:1883')),
    P(0x1f, s('because')), P(0x21, u16(10)), P(0x22, u16(5)), P(0x23, u16(3)), P(0x24, b'\x01'),
    P(0x25, b'\x00'), P(0x26, s('k') + s('v')), P(0x27, u32(1048576)), P(0x28, b'\x01'),
    P(0x29, b'\x00'), P(0x2a, b'\x01'))
cases = {
 'v5-all-properties': [('I', connect(5, 0x02, pr=allprops, cid='all')),
                       ('O', pkt(0x20, b'\x01\x00' + allprops)),
                       ('I', pkt(0x32, s('a/b') + u16(7) + allprops + b'payload'))],
 'v5-auth': [('I', connect(5, 0x02, pr=props(P(0x15, s('SCRAM-SHA-1')), P(0x16, s('client-first'))), cid='au')),
             ('O', pkt(0xf0, b'\x18' + props(P(0x15, s('SCRAM-SHA-1')), P(0x16, s('server-first'))))),
             ('I', pkt(0xf0, b'\x18' + props(P(0x15, s('SCRAM-SHA-1')), P(0x1f, s('again'))))),
             ('O', pkt(0xf0, b'')), ('I', pkt(0xf0, b'\x19')), ('O', pkt(0xf0, b'\x07'))],
 'v5-unsub-suback': [('I', connect(5, 0x02, cid='u')),
                     ('I', pkt(0x82, u16(3) + props(P(0x0b, vbi(2097152))) + s('a/#') + b'\x2d' + s('$share/g/x') + b'\x1e' + s('c') + b'\xc3')),
                     ('O', pkt(0x90, u16(3) + props(P(0x1f, s('partly'))) + b'\x00\x01\x02\x80\x83\x87\x8f\x91\x97\x9e\xa1\xa2\x05')),
                     ('I', pkt(0xa2, u16(4) + props(P(0x26, s('a') + s('b'))) + s('a/#') + s('x/y'))),
                     ('O', pkt(0xb0, u16(4) + props() + b'\x00\x11\x83\x87\x8f\x91\x80')),
                     ('O', pkt(0xb0, u16(5) + props()))],
 'v5-disconnect': [('I', connect(5, 0x02, cid='d')),
                   ('I', pkt(0xe0, b'\x8e' + props(P(0x1f, s('taken over')), P(0x11, u32(0)), P(0x1c, s('srv2'))))),
                   ('O', pkt(0xe0, b'\x04')), ('O', pkt(0xe0, b'\x00' + props())), ('O', pkt(0xe0, b'\x8f\x00')),
                   ('O', pkt(0xe0, b'\x93')), ('O', pkt(0xe0, b'\x00'))],
 'v5-acks': [('I', connect(5, 0x02, cid='a')),
             ('O', pkt(0x40, u16(1) + b'\x10')), ('O', pkt(0x40, u16(2) + b'\x99' + props(P(0x1f, s('bad'))))),
             ('O', pkt(0x50, u16(3) + b'\x00\x00')), ('O', pkt(0x50, u16(4) + b'\x91')), ('I', pkt(0x62, u16(4) + b'\x92')),
             ('O', pkt(0x70, u16(4) + b'\x92' + props(P(0x26, s('x') + s('y'))))), ('O', pkt(0x40, u16(9) + b'\x05'))],
 'v5-topic-alias': [('I', connect(5, 0x02, cid='ta')),
                    ('I', pkt(0x30, s('long/topic/name') + props(P(0x23, u16(1))) + b'one')),
                    ('I', pkt(0x30, s('') + props(P(0x23, u16(1))) + b'two')),
                    ('I', pkt(0x32, s('') + u16(5) + props(P(0x23, u16(2))) + b'three')),
                    ('I', pkt(0x30, s('') + props() + b'four')),
                    ('I', pkt(0x30, s('a/b') + props() + b''))],
 'v5-will': [('I', connect(5, 0xf6, pr=props(P(0x11, u32(10))), cid='w',
                          will=(props(P(0x18, u32(5)), P(0x01, b'\x01'), P(0x03, s('text/plain')), P(0x26, s('k') + s('v'))), 'will/t', b'bye'),
                          user='u', pw=b'p')),
             ('O', pkt(0x20, b'\x01\x86' + props(P(0x1f, s('bad creds')))))],
 'v5-connack-codes': [('I', connect(5, 0x02, cid='cc')), ('O', pkt(0x20, b'\x00\x84' + props())),
                      ('O', pkt(0x20, b'\x00\x8b' + props())), ('O', pkt(0x20, b'\x00\x9f' + props()))],
 'v311-misc': [('I', connect(4, 0x3e, cid='m', will=(None, 'w', b'\x00\x01'), user='user')),
               ('O', pkt(0x20, b'\x01\x05')), ('O', pkt(0x20, b'\x00\x09')),
               ('I', pkt(0x82, u16(1) + s('a/+') + b'\x00' + s('b/#') + b'\x01' + s('c') + b'\x02')),
               ('O', pkt(0x90, u16(1) + b'\x00\x01\x80\x02\x03\x07')),
               ('I', pkt(0xa2, u16(2) + s('a/+') + s('b/#'))), ('O', pkt(0xb0, u16(2))),
               ('I', pkt(0x3b, s('dup/retain') + u16(7) + b'x')), ('I', pkt(0x31, s('r') + b'')),
               ('I', pkt(0xc0, b'')), ('O', pkt(0xd0, b'')), ('I', pkt(0xe0, b''))],
 'v31-misc': [('I', connect(3, 0x02, cid='old')), ('O', pkt(0x20, b'\x00\x02')),
              ('I', pkt(0x82, u16(1) + s('a/+') + b'\x01')), ('O', pkt(0x90, u16(1) + b'\x01')),
              ('I', pkt(0x34, s('q2') + u16(2) + b'x')), ('O', pkt(0x50, u16(2))), ('I', pkt(0x62, u16(2))),
              ('I', pkt(0x6a, u16(3))), ('O', pkt(0x70, u16(2))), ('I', pkt(0xa2, u16(3) + s('a/+'))),
              ('O', pkt(0xb0, u16(3)))],
 'strings': [('I', connect(4, 0xc2, cid='tab\there\nnl\\bs"q\x01\x7f', user='é€😀 ok', pw=b'\xff\xfe\xc3')),
             ('I', pkt(0x30, s('t/' + 'x' * 300) + b'y' * 300)),
             ('I', pkt(0x30, s('t/' + 'é' * 130) + bytes(range(40)))),
             ('I', pkt(0x30, s('a\x00b') + b'')),
             ('I', pkt(0x30, s(b'ab\xe2\x82') + b'\x00'))],
 'unknown-version': [('O', pkt(0x20, b'\x00\x00')), ('O', pkt(0x90, u16(1) + b'\x00\x80')), ('I', pkt(0x32, s('a') + u16(1) + b'x')),
                     ('O', pkt(0x40, u16(1))), ('O', pkt(0xb0, u16(2)))],
 'malformed': [('I', connect(4, 0x02, cid='mal')),
               ('I', pkt(0x32, s('a/b'))), ('I', pkt(0x82, u16(1) + s('a'))), ('I', pkt(0x82, u16(1) + b'\x00\x09ab')),
               ('I', pkt(0x82, u16(1) + s('a') + b'\x01' + b'\x00')), ('I', pkt(0xa2, u16(1) + b'\x00')),
               ('O', pkt(0x40, b'\x01')), ('O', pkt(0x20, b'\x00')),
               ('I', pkt(0x10, s('MQTT') + b'\x04\xc2\x00\x3c' + s('id') + s('user') + b'\x00\x10pw')),
               ('I', pkt(0x10, s('MQTT') + b'\x04\x06\x00\x3c' + s('id') + s('wt') + b'\x00\x05xy')),
               ('I', pkt(0x30, b'\x00')), ('I', pkt(0x00, b'')), ('I', pkt(0x00, b'\x01\x02')),
               ('I', pkt(0x10, s('MQTT')))],
 'malformed-v5': [('I', connect(5, 0x02, cid='m5')),
                  ('I', pkt(0x30, s('a') + b'\x05\x01')),
                  ('I', pkt(0x30, s('a') + b'\x05\x26\x00\x01k\x00\x05v')),
                  ('I', pkt(0x30, s('a') + b'\x03\x7f\x01\x02' + b'pay')),
                  ('I', pkt(0x30, s('a') + b'\x02\x23')),
                  ('I', pkt(0x30, s('a') + b'\x80')),
                  ('O', pkt(0x20, b'\x00\x00\x0a\x22\x00')),
                  ('I', connect(5, 0x06, cid='w5', will=(props(), 'w', b'x'))[:-3])],
 'text-prefs': [('I', connect(4, 0x06, cid='tp', will=(None, 'w/t', b'will text \xff'))),
                ('I', pkt(0x30, s('a/b') + b'hello world')), ('I', pkt(0x30, s('a/b') + b'')),
                ('I', pkt(0x30, s('a/b') + b'line1\nline2\ttab \x00nul')),
                ('I', pkt(0x30, s('a/b') + b'z' * 300))],
 'text-prefs-bytes': [('I', connect(4, 0x06, cid='tp', will=(None, 'w/t', b''))),
                      ('I', pkt(0x30, s('a/b') + b'')), ('I', pkt(0x30, s('a/b') + b'z' * 35)),
                      ('I', pkt(0x30, s('a/b') + b'z' * 36)), ('I', pkt(0x30, s('a/b') + b'z' * 37))],
}

# --- MQTT 5.0 payloads handed to a sub-dissector by their Content Type ----
def ctpub(payload, ct='application/json', topic='t', first=0x30, pid=None, extra=b''):
    if isinstance(payload, str): payload = payload.encode()
    pr = props(*([P(0x03, s(ct))] if ct is not None else []), *([extra] if extra else []))
    return pkt(first, s(topic) + (u16(pid) if pid is not None else b'') + pr + payload)
JSON = lambda p: ('I', ctpub(p))
v5c = ('I', connect(5, 0x02, cid='json'))
cases.update({
 'v5-json': [v5c,
   ('I', ctpub('{"data":[{"temperature":10,"timestamp":"2017-06-14T17:52:25.428Z"}]}', first=0x32, pid=1, topic='resources/1/temperature')),
   JSON('{"o":{},"a":[],"nest":{"x":[[1,[2]],{"y":"z"}]},"t":true,"f":false,"z":null}'),
   JSON('[1,-1,0,1.5,-2.5e10,1E+3,0.0e-1,123456789012345678901234567890,NaN]'),
   JSON('[]'), JSON('{}'), JSON('[{"a":1},{"b":[true]}]'),
   JSON('{"a":1}{"b":2} [3]'), JSON(' \r\n\t{ "a" : [ 1 , 2 ] , "b" : - 0 . 5 E - 3 , "c" : [1 2] }\n'),
   JSON('{"a":1,"a":2}'), JSON('[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]'),
   ('I', ctpub('{"n":' + '1' * 300 + '}'))],
 'v5-json-strings': [v5c,
   JSON('{"s":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t|\\u00e9\\u0001\\ud83d\\ude00 \u00e9\u20ac"}'),
   JSON('{"a":"\\u00e9","b":"\\ud83d\\ude00","c":"x\\n","d":"\\u0041x"}'),
   JSON(b'{"a":"x\\u0000y","b":"p\x00q","c":"\\ud800z","d":"\\udc00z","e":"\\ud83dz","f":"\\ud83d\\u0041","g":"\xc3\\n"}'),
   JSON(b'{"h":"\x80\xbf\xc0\xaf","i":"\\u200b\\u00ad\\uFFFF\\u0085","j":"\xe2\x80\x8b\xed\xa0\x80","k\\u00e9\\n":1,"":2}'),
   JSON(b'{"a":"\xf8\x80\x80\x80\x80x","b":"\xfc\x80\x80\x80\x80\x80","c":"\xff\xfeab","d":"tab\there\x01\x7f"}'),
   JSON('{"k":"' + '\u00e9' * 150 + '","' + 'K' * 250 + '":"' + 'v' * 300 + '"}'),
   JSON('{"a":"\\u 0041"}'),
   JSON('{"a":1,"b":"\\ n","c":2}'),
   JSON('{"\\ k":1}')],
 'v5-json-invalid': [v5c,
   JSON('123'), JSON('"str"'), JSON('true'), JSON(''), JSON('  '), JSON('x'), JSON('{'),
   JSON('{"a":1,}'), JSON('[01]'), JSON('{"a":tru}'), JSON('[1] x'), JSON('{"a":1}\n\nfoo\n\n'),
   JSON('{"a":1} x\ny\r\nz\n'), JSON(b'[1]\x01\xff\xfe tab\tx\ra\r\rc\x00d\n\xc0\xaf'),
   JSON('[1]x' + 'y' * 300 + '\n' + '\u00e9' * 200), JSON('[1,{"a":[2,}]'), JSON('{"a":"\\ n"'),
   JSON('{"a":1,"b":"\\ n","c":2} tail')],
 'v5-content-types': [v5c] + [('I', ctpub('[1]', ct)) for ct in [
   'application/senml+json', 'application/sensml+json', 'application/json-rpc', 'application/jsonrequest',
   'application/dds-web+json', 'application/vnd.oma.lwm2m+json', 'application/problem+json',
   'application/merge-patch+json', 'application/json-patch+json', 'application/x-ndjson',
   'APPLICATION/JSON', 'Application/Json', 'application/json; charset=utf-8', ' application/json',
   'application/json ', b'application/json\x00x', '', 'application/x-unknown', 'text/json', 'application/ld+json',
   'text/plain', 'TEXT/PLAIN', 'text/html', 'text/css', 'text/javascript', 'text/richtext', 'text/enriched',
   'text/parameters', 'text/xml-external-parsed-entity', 'text/vnd.sun.j2me.app-descriptor',
   'application/x-javascript', 'application/x-ns-proxy-autoconfig', 'application/vnd.poc.refer-to',
   'application/vnd.drm.message', 'application/x-rtsp-udp-packetpair', 'application/x-tia-p25-issi',
   'application/x-tia-p25-sndcp', 'text/csv', 'application/javascript']] + [
   ('I', ctpub('a\nb\r\nc', 'text/plain')), ('I', ctpub('', 'text/plain')),
   ('I', pkt(0x30, s('t') + props(P(0x03, s('text/plain')), P(0x03, s('application/json'))) + b'{"last":1}')),
   ('I', pkt(0x30, s('t') + props(P(0x03, s('application/json')), P(0x03, s('text/plain'))) + b'{"last":2}')),
   ('I', pkt(0x30, s('t') + props(P(0x03, s('application/json')), P(0x23, u16(1))) + b'{"alias":1}')),
   ('I', pkt(0x30, s('') + props(P(0x03, s('application/json')), P(0x23, u16(1))) + b'{"alias":2}')),
   ('I', pkt(0x30, s('t') + b'\x15\x03' + s('application/json') + b'\x7f\x01' + b'{"a":1}')),
   ('I', pkt(0x30, s('t') + b'\x22\x03' + s('application/json') + b'{"a":1}'))],
 'v5-json-frames': [v5c,
   ('I', ctpub('{"a":1}') + pkt(0x40, u16(1))), ('I', pkt(0x40, u16(1)) + ctpub('{"a":1}')),
   ('I', ctpub('{"a":1}') + ctpub('[2]')), ('I', ctpub('{"a":1}') + ctpub('hi', 'text/plain')),
   ('I', ctpub('hi', 'text/plain') + ctpub('{"a":1}')), ('I', ctpub('[1] x') + pkt(0x40, u16(1))),
   ('I', ctpub('') + pkt(0x40, u16(1))), ('I', pkt(0x40, u16(1)) + ctpub('')),
   ('I', ctpub('{"a":"\\ n"}') + pkt(0x40, u16(2))),
   ('I', ctpub('{"a":1}', first=0x34, pid=7) + ctpub('[3]', first=0x32, pid=8)),
   ('O', pkt(0x50, u16(7)) + ctpub('{"to":"client"}'))],
})
cases.update({
 # mqtt.show_msg_as_text changes the Message line only.
 'v5-json-text-prefs': [v5c, JSON('{"a":[1,"x\\u00e9"]}'), JSON('[1] tail'), ('I', ctpub('hello\nworld', 'text/plain'))],
 # No CONNECT: mqtt.default_version v50 makes PUBLISH v5, with properties.
 'v5-json-default-version': [JSON('{"a":[1,"x\\u00e9"]}'), ('O', pkt(0x40, u16(1))), JSON('[1] tail')],
})
json_cases = {'v5-json', 'v5-json-strings', 'v5-json-invalid', 'v5-content-types', 'v5-json-frames',
              'v5-json-text-prefs', 'v5-json-default-version'}
text_cases = {'text-prefs', 'v5-json-text-prefs'}
default_version = {'v5-json-default-version': 'v50'}
import os
here = os.path.dirname(os.path.abspath(__file__))
for name, segs in cases.items():
    with open(os.path.join(here, 'cases', name + '.case'), 'w') as f:
        f.write('# generated by mkcases.py; golden by tshark-golden.sh\n')
        if name in text_cases:
            f.write('#text\n')
        if name in json_cases:
            f.write('#json\n')
        if name in default_version:
            f.write('#default_version %s\n' % default_version[name])
        for d, b in segs:
            f.write('%s %s\n' % (d, b.hex()))
